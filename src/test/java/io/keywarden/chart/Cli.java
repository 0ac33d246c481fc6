package io.keywarden.chart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs a command line to completion, capturing its output. */
final class Cli {
  record Result(int exitCode, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }
  }

  private Cli() {}

  static Result run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).start();
      process.getOutputStream().close();
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String stdout = read(process.getInputStream());
      return new Result(process.waitFor(), stdout, stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs a script of this repository that prints a directory on its last line, and returns it. */
  static String lastLineOf(String script) {
    Result result = run(List.of(java.nio.file.Path.of(script).toAbsolutePath().toString()));
    if (result.exitCode() != 0) {
      throw new IllegalStateException(script + " failed:\n" + result.stderr());
    }
    List<String> lines = result.stdout().strip().lines().toList();
    return lines.get(lines.size() - 1);
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
