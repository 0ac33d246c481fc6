package io.keywarden.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** docs/api-reference.md is what the generator makes of the committed CRDs. */
class ApiReferenceTest {

  @Test
  void theCommittedPageMatchesTheCrds() throws IOException {
    assertThat(Files.readString(ApiReference.PAGE))
        .as("docs/api-reference.md is stale: run make docs")
        .isEqualTo(ApiReference.render());
  }

  @Test
  void everyFieldOfTheModelIsOnThePage() throws IOException {
    String page = ApiReference.render();
    for (String field : new String[] {"`spec.expiryDuration`", "`spec.rotation.gracePeriod`", "`status.previousExpiresAt`",
        "`spec.minio.openid.serviceAccountToken.audience`", "`spec.allowedNamespaces`", "`spec.outscale.api`"}) {
      assertThat(page).contains(field);
    }
  }
}
