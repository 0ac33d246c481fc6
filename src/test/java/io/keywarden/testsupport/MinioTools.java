package io.keywarden.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
    // a first build from empty Go caches takes about 6 minutes on 2 cores
    List<String> lines = HackScript.run(SCRIPT.toString(), Duration.ofMinutes(30));
    Path bin = HackScript.lastLineDirectory(lines, SCRIPT.toString());
    if (!Files.isExecutable(bin.resolve("minio")) || !Files.isExecutable(bin.resolve("mc"))) {
      throw new IllegalStateException(SCRIPT + " printed no directory holding minio and mc, got: " + lines);
    }
    return bin;
  }
}
