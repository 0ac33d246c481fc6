package io.keywarden.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the hack/ scripts that build or reuse a cached test peer. They print their results
 * on stdout (the last line, or key=value lines) and their progress on stderr, which is shown only
 * when the script fails.
 */
public final class HackScript {
  private HackScript() {}

  /** The script's stdout lines; fails the test when it fails or runs longer than {@code timeout}. */
  public static List<String> run(String relativePath, Duration timeout, String... args) {
    Path script = PythonTools.projectRoot().resolve(relativePath);
    try {
      Path log = Files.createTempFile("keywarden-hack", ".log");
      List<String> command = new ArrayList<>(List.of("bash", script.toString()));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.PIPE)
          .redirectError(log.toFile())
          .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeout.toMinutes(), TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " did not finish within " + timeout.toMinutes() + " minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(script + " failed with exit code " + p.exitValue() + ":\n" + Files.readString(log));
      }
      Files.deleteIfExists(log);
      return out.strip().lines().toList();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  /** The directory a script printed on its last line. */
  public static Path lastLineDirectory(List<String> lines, String script) {
    if (lines.isEmpty()) {
      throw new IllegalStateException(script + " printed nothing");
    }
    return Path.of(lines.get(lines.size() - 1).strip());
  }
}
