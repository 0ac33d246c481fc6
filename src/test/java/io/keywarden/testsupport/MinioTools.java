package io.keywarden.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MinIO server and {@code mc} built by {@code hack/build-minio.sh} from the Go module proxy.
 * The script returns at once when the cached binaries report the pinned versions, so tests always
 * run it and so pick up a changed pin.
 */
public final class MinioTools {

  private static final Path SCRIPT = Path.of("hack", "build-minio.sh");
  private static Path binDir;

  private MinioTools() {}

  /** The directory holding {@code minio} and {@code mc}, building them first when needed. */
  public static synchronized Path binDir() {
    if (binDir == null) {
      binDir = runScript();
    }
    return binDir;
  }

  private static Path runScript() {
    Path script = PythonTools.projectRoot().resolve(SCRIPT);
    try {
      Path log = Files.createTempFile("keywarden-build-minio", ".log");
      Process p =
          new ProcessBuilder(List.of("bash", script.toString()))
              .redirectOutput(ProcessBuilder.Redirect.PIPE)
              .redirectError(log.toFile())
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // a first build from empty Go caches takes about 6 minutes on 2 cores
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " did not finish within 30 minutes");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            script + " failed with exit code " + p.exitValue() + ":\n" + Files.readString(log));
      }
      Files.deleteIfExists(log);
      List<String> lines = out.strip().lines().toList();
      Path bin = Path.of(lines.get(lines.size() - 1).strip());
      if (!Files.isExecutable(bin.resolve("minio")) || !Files.isExecutable(bin.resolve("mc"))) {
        throw new IllegalStateException(script + " printed no directory holding minio and mc, got: " + out);
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
