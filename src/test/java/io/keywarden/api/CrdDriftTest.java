package io.keywarden.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.testsupport.Crds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The committed CRDs must be exactly what the Java model generates (`make crds` refreshes them). */
class CrdDriftTest {
  static final java.util.List<String> FILES = Crds.FILES;

  @ParameterizedTest
  @FieldSource("FILES")
  void committedCrdMatchesTheModel(String file) throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8").resolve(file);
    Path committed = Crds.DIR.resolve(file);
    assertThat(committed).exists();
    assertThat(Files.readString(committed))
        .as("%s is out of date: run `make crds` and commit", committed)
        .isEqualTo(Files.readString(generated));
  }
}
