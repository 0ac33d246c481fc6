package io.keywarden.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion; fails with its stderr (never its stdout, which may hold a secret). */
final class Cli {
  private Cli() {}

  static String run(Duration timeout, String... command) {
    try {
      Path err = Files.createTempFile("keywarden-bench-cli", ".err");
      try {
        Process p = new ProcessBuilder(List.of(command)).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(command[0] + " did not finish within " + timeout);
        }
        if (p.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": "
              + Files.readString(err, StandardCharsets.UTF_8).strip());
        }
        return out;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
