package io.keywarden.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.testsupport.HackScript;
import io.keywarden.testsupport.PythonTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/api-reference.md is what the generator (jsonschema2md, through hack/api-reference.sh) makes
 * of the committed CRDs. Tagged "it": the generator comes from PyPI, through hack/docs-tools.sh.
 */
@Tag("it")
class ApiReferenceIT {

  @Test
  void theCommittedPageIsWhatTheGeneratorMakesOfTheCrds(@TempDir Path dir) throws IOException {
    Path generated = dir.resolve("api-reference.md");
    HackScript.run("hack/api-reference.sh", Duration.ofMinutes(10), generated.toString());
    assertThat(Files.readString(PythonTools.projectRoot().resolve(ApiReferenceTest.PAGE)))
        .as("docs/api-reference.md is stale: run make docs")
        .isEqualTo(Files.readString(generated));
  }
}
