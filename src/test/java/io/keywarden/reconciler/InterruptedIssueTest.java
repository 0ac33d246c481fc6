package io.keywarden.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.backend.SecretValue;
import io.keywarden.reconciler.InterruptedIssue.Published;
import io.keywarden.secret.CredentialEntries;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.testsupport.Fixtures;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InterruptedIssueTest {
  static final Instant EXPIRES = Instant.parse("2026-06-01T13:00:00Z");

  static Stream<Arguments> cases() {
    Published newer = new Published("STS2", 4, EXPIRES, true);
    return Stream.of(
        Arguments.of("the Secret publishes the interrupted refresh", "STS1", 3L, newer, true),
        Arguments.of("the Secret publishes an interrupted first issue", null, null,
            new Published("STS1", 1, EXPIRES, true), true),
        Arguments.of("no Secret of this AccessKey", "STS1", 3L, null, false),
        Arguments.of("the Secret still holds the recorded credentials", "STS2", 3L,
            new Published("STS2", 3, EXPIRES, true), false),
        Arguments.of("the recorded credentials at a later revision (a re-render)", "STS2", 3L,
            new Published("STS2", 4, EXPIRES, true), false),
        Arguments.of("other credentials at the recorded revision", "STS1", 3L,
            new Published("STS2", 3, EXPIRES, true), false),
        Arguments.of("other credentials two revisions on", "STS1", 3L, new Published("STS2", 5, EXPIRES, true), false),
        Arguments.of("no session token or secret key", "STS1", 3L, new Published("STS2", 4, EXPIRES, false), false),
        Arguments.of("no expiry", "STS1", 3L, new Published("STS2", 4, null, true), false),
        Arguments.of("no access key id", "STS1", 3L, new Published(null, 4, EXPIRES, true), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void adoptsOnlyCredentialsTheInterruptedIssuePublished(String why, String recordedId, Long recordedRevision,
      Published published, boolean adopted) {
    assertThat(InterruptedIssue.published(recordedId, recordedRevision, published)).isEqualTo(adopted);
  }

  @Test
  void readsWhatARenderedSecretPublishes() {
    AccessKey accessKey = Fixtures.accessKey("ns", "sts", "sts", null);
    accessKey.getMetadata().setUid("uid-sts");
    Secret secret = SecretRenderer.render(accessKey, entries("STS2", true), 4, EXPIRES);

    assertThat(Published.of(accessKey, secret)).isEqualTo(new Published("STS2", 4, EXPIRES, true));
    assertThat(Published.of(accessKey, SecretRenderer.render(accessKey, entries("STS2", false), 4, EXPIRES)).complete())
        .as("without a session token").isFalse();
    AccessKey other = Fixtures.accessKey("ns", "sts", "sts", null);
    other.getMetadata().setUid("uid-other");
    assertThat(Published.of(other, secret)).as("another owner's Secret").isNull();
    assertThat(Published.of(accessKey, null)).isNull();
  }

  private static Map<String, SecretValue> entries(String accessKeyId, boolean withToken) {
    Map<String, SecretValue> entries = new LinkedHashMap<>();
    entries.put(CredentialEntries.ACCESS_KEY_ID, SecretValue.of(accessKeyId));
    entries.put(CredentialEntries.SECRET_ACCESS_KEY, SecretValue.of("secret"));
    if (withToken) {
      entries.put(CredentialEntries.SESSION_TOKEN, SecretValue.of("token"));
    }
    return entries;
  }
}
