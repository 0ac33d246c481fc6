package io.keywarden.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.SecretTemplate;
import io.keywarden.backend.SecretValue;
import io.keywarden.testsupport.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretRendererTest {
  static final SecretValue SECRET = SecretValue.of("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");

  static AccessKey accessKey() {
    AccessKey ak = Fixtures.accessKey("team", "app", "aws", "Bob");
    ak.getMetadata().setUid("uid-1");
    return ak;
  }

  @Test
  void defaultKeysServeEnvFromAndAnnotationsDescribeTheKey() {
    Secret secret = SecretRenderer.render(accessKey(),
        CredentialEntries.aws("AKIAIOSFODNN7EXAMPLE", SECRET, null, "eu-west-1", null), 3, Instant.parse("2027-01-15T00:00:00Z"));
    assertThat(secret.getData()).containsOnlyKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION");
    assertThat(decode(secret, "AWS_SECRET_ACCESS_KEY")).isEqualTo(SECRET.reveal());
    assertThat(secret.getMetadata().getName()).isEqualTo("app");
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry("keywarden.io/access-key-id", "AKIAIOSFODNN7EXAMPLE")
        .containsEntry("keywarden.io/revision", "3")
        .containsEntry("keywarden.io/expires-at", "2027-01-15T00:00:00Z");
    assertThat(secret.getMetadata().getAnnotations().values()).doesNotContain(SECRET.reveal());
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getController()).isTrue());
    assertThat(PublishedSecret.secretAccessKey(secret)).contains(SECRET);
  }

  @Test
  void renamesExtraMetadataAndReadBackFollowTheTemplate() {
    AccessKey ak = accessKey();
    ak.getSpec().secret = new SecretTemplate();
    ak.getSpec().secret.name = "creds";
    ak.getSpec().secret.keys = Map.of("AWS_SECRET_ACCESS_KEY", "SECRET", "AWS_ACCESS_KEY_ID", "ID");
    ak.getSpec().secret.labels = Map.of("team", "a", "app.kubernetes.io/managed-by", "someone-else");
    ak.getSpec().secret.annotations = Map.of("note", "x");
    Secret secret = SecretRenderer.render(ak,
        CredentialEntries.aws("AKID", SECRET, SecretValue.of("token"), "eu-west-1", "http://127.0.0.1:5000"), 1, null);

    assertThat(secret.getMetadata().getName()).isEqualTo("creds");
    assertThat(secret.getData()).containsOnlyKeys("ID", "SECRET", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL");
    assertThat(secret.getMetadata().getLabels()).containsEntry("team", "a")
        .containsEntry("app.kubernetes.io/managed-by", "keywarden");
    assertThat(secret.getMetadata().getAnnotations()).containsEntry("note", "x").doesNotContainKey("keywarden.io/expires-at");
    assertThat(PublishedSecret.secretAccessKey(secret)).contains(SECRET);
    assertThat(PublishedSecret.sessionToken(secret)).contains(SecretValue.of("token"));
    assertThat(PublishedSecret.matches(secret, secret)).isTrue();

    Secret renamedAgain = SecretRenderer.render(accessKey(), CredentialEntries.aws("AKID", SECRET, null, "eu-west-1", null), 1, null);
    assertThat(PublishedSecret.matches(secret, renamedAgain)).isFalse();
  }

  /** The Secret follows its AccessKey's shard, so the shard's Secret informer (selected by that label) sees it. */
  @Test
  void theSecretCarriesItsAccessKeysShardAndARelabelMakesItStale() {
    AccessKey ak = accessKey();
    ak.getSpec().secret = new SecretTemplate();
    ak.getSpec().secret.labels = Map.of("keywarden.io/shard", "spoofed");
    Map<String, SecretValue> entries = CredentialEntries.aws("AKID", SECRET, null, "eu-west-1", null);
    Secret unsharded = SecretRenderer.render(ak, entries, 1, null);
    assertThat(unsharded.getMetadata().getLabels()).doesNotContainKey("keywarden.io/shard");

    ak.getMetadata().setLabels(Map.of("keywarden.io/shard", "blue"));
    Secret blue = SecretRenderer.render(ak, entries, 1, null);
    assertThat(blue.getMetadata().getLabels()).containsEntry("keywarden.io/shard", "blue");

    assertThat(PublishedSecret.matches(unsharded, blue)).as("moved into a shard").isFalse();
    assertThat(PublishedSecret.matches(blue, unsharded)).as("moved back to the default instance").isFalse();
    assertThat(PublishedSecret.matches(blue, blue)).isTrue();
  }

  @Test
  void secretValuesNeverPrint() {
    assertThat(SECRET.toString()).doesNotContain("EXAMPLEKEY");
    assertThat(CredentialEntries.aws("AKID", SECRET, null, null, null).toString()).doesNotContain("EXAMPLEKEY");
  }

  static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
