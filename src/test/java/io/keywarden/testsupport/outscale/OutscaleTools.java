package io.keywarden.testsupport.outscale;

import io.keywarden.testsupport.HackScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The venv built by {@code hack/outscale-tools.sh}: the official CLI ({@code osc-cli}, PyPI
 * osc-sdk), the official Python SDK (PyPI osc-sdk-python) and the OpenAPI spec that SDK ships. The
 * script is cheap when the venv is current, so tests always run it and pick up a changed pin.
 */
public final class OutscaleTools {

  private static OutscaleTools instance;
  private static OapiSpec spec;

  private final Path binDir;
  private final Path specFile;

  private OutscaleTools(Path binDir, Path specFile) {
    this.binDir = binDir;
    this.specFile = specFile;
  }

  /** Builds the venv first when it is missing or outdated. */
  public static synchronized OutscaleTools get() {
    if (instance == null) {
      instance = runScript();
    }
    return instance;
  }

  /** The spec, parsed once per JVM (it is about 1 MB of YAML). */
  public static synchronized OapiSpec spec() {
    if (spec == null) {
      spec = OapiSpec.load(get().specFile);
    }
    return spec;
  }

  public Path binDir() {
    return binDir;
  }

  private static OutscaleTools runScript() {
    List<String> lines = HackScript.run("hack/outscale-tools.sh", Duration.ofMinutes(15));
    Map<String, String> printed = new HashMap<>();
    for (String line : lines) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        printed.put(line.substring(0, eq), line.substring(eq + 1).strip());
      }
    }
    Path bin = Path.of(printed.getOrDefault("bin", ""));
    Path spec = Path.of(printed.getOrDefault("spec", ""));
    if (!Files.isDirectory(bin) || !Files.isRegularFile(spec)) {
      throw new IllegalStateException("hack/outscale-tools.sh printed no bin directory and spec file, got: " + lines);
    }
    return new OutscaleTools(bin, spec);
  }
}
