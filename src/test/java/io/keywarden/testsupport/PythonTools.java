package io.keywarden.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
    List<String> lines = HackScript.run("hack/python-tools.sh", Duration.ofMinutes(15));
    Path bin = HackScript.lastLineDirectory(lines, "hack/python-tools.sh");
    if (!Files.isDirectory(bin)) {
      throw new IllegalStateException("hack/python-tools.sh printed no bin directory, got: " + lines);
    }
    return bin;
  }
}
