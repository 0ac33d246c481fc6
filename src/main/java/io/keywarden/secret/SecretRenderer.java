package io.keywarden.secret;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.SecretTemplate;
import io.keywarden.backend.SecretValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders the Secret that publishes a key. Pure: the same inputs give the same Secret. */
public final class SecretRenderer {
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "keywarden";
  /** The label the operator's Secret informer selects on, so unrelated Secrets are never cached. */
  public static final String SELECTOR = MANAGED_BY_LABEL + "=" + MANAGED_BY;
  public static final String ACCESS_KEY_LABEL = "keywarden.io/access-key";
  public static final String ACCESS_KEY_ID_ANNOTATION = "keywarden.io/access-key-id";
  public static final String REVISION_ANNOTATION = "keywarden.io/revision";
  public static final String EXPIRES_AT_ANNOTATION = "keywarden.io/expires-at";
  /** Where the secret key sits after renames, so a re-render can carry it over. */
  public static final String SECRET_FIELD_ANNOTATION = "keywarden.io/secret-key-field";
  public static final String SESSION_TOKEN_FIELD_ANNOTATION = "keywarden.io/session-token-field";

  private SecretRenderer() {}

  public static String secretName(AccessKey accessKey) {
    SecretTemplate template = accessKey.getSpec().secret;
    return template != null && template.name != null
        ? template.name
        : accessKey.getMetadata().getName();
  }

  /**
   * @param entries default key name to value, from {@link CredentialEntries}
   * @param expiresAt may be null
   */
  public static Secret render(
      AccessKey accessKey, Map<String, SecretValue> entries, long revision, Instant expiresAt) {
    SecretTemplate template = accessKey.getSpec().secret;
    Map<String, String> renames = template != null && template.keys != null ? template.keys : Map.of();

    Map<String, String> labels = new LinkedHashMap<>();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template != null && template.labels != null) {
      labels.putAll(template.labels);
    }
    if (template != null && template.annotations != null) {
      annotations.putAll(template.annotations);
    }
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    labels.put(ACCESS_KEY_LABEL, accessKey.getMetadata().getName());
    // the shard's Secret informer selects on it; spec.secret.labels cannot move a Secret to another shard
    labels.remove(AccessKey.SHARD_LABEL);
    String shard = accessKey.getMetadata().getLabels() == null ? null
        : accessKey.getMetadata().getLabels().get(AccessKey.SHARD_LABEL);
    if (shard != null) {
      labels.put(AccessKey.SHARD_LABEL, shard);
    }
    annotations.put(
        ACCESS_KEY_ID_ANNOTATION, entries.get(CredentialEntries.ACCESS_KEY_ID).reveal());
    annotations.put(REVISION_ANNOTATION, Long.toString(revision));
    if (expiresAt != null) {
      annotations.put(EXPIRES_AT_ANNOTATION, expiresAt.toString());
    }

    Map<String, String> data = new LinkedHashMap<>();
    entries.forEach(
        (name, value) -> {
          String field = renames.getOrDefault(name, name);
          data.put(field, Base64.getEncoder().encodeToString(value.reveal().getBytes(StandardCharsets.UTF_8)));
          if (name.equals(CredentialEntries.SECRET_ACCESS_KEY)) {
            annotations.put(SECRET_FIELD_ANNOTATION, field);
          } else if (name.equals(CredentialEntries.SESSION_TOKEN)) {
            annotations.put(SESSION_TOKEN_FIELD_ANNOTATION, field);
          }
        });

    return new SecretBuilder()
        .withNewMetadata()
        .withName(secretName(accessKey))
        .withNamespace(accessKey.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(annotations)
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(accessKey.getApiVersion())
                .withKind(accessKey.getKind())
                .withName(accessKey.getMetadata().getName())
                .withUid(accessKey.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
  }
}
