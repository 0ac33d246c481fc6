package io.keywarden.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The venv of Python test peers and reference CLIs built by {@code hack/python-tools.sh} (moto,
 * AWS CLI v1). The script is cheap when the venv is current (it checks a stamp with the pinned
 * versions), so tests always run it and so pick up a changed pin.
 */
public final class PythonTools {

  private static Path binDir;

  private PythonTools() {}

  /** The venv's bin directory, building the venv first when it is missing or outdated. */
  public static synchronized Path binDir() {
    if (binDir == null) {
      binDir = runScript();
    }
    return binDir;
  }

  public static Path projectRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("hack/python-tools.sh"))) {
        return d;
      }
    }
    throw new IllegalStateException("hack/python-tools.sh not found above " + dir);
  }

  private static Path runScript() {
    Path script = projectRoot().resolve("hack/python-tools.sh");
    try {
      Path log = Files.createTempFile("keywarden-python-tools", ".log");
      Process p =
          new ProcessBuilder(List.of("bash", script.toString()))
              .redirectOutput(ProcessBuilder.Redirect.PIPE)
              .redirectError(log.toFile())
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(15, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " did not finish within 15 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            script + " failed with exit code " + p.exitValue() + ":\n" + Files.readString(log));
      }
      Files.deleteIfExists(log);
      String[] lines = out.strip().split("\n");
      Path bin = Path.of(lines[lines.length - 1].strip());
      if (!Files.isDirectory(bin)) {
        throw new IllegalStateException(script + " printed no bin directory, got: " + out);
      }
      return bin;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }
}
