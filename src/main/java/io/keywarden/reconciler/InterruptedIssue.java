package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.secret.PublishedSecret;
import io.keywarden.secret.SecretRenderer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * A fence left by an interrupted issue of temporary credentials: whether the Secret already
 * publishes the credentials that issue got. Temporary credentials cannot be looked up at the
 * backend, so the Secret is the only witness: it holds credentials other than the recorded ones,
 * complete, at the revision the interrupted issue wrote (the recorded one + 1). Those are adopted,
 * as workloads may already use them; otherwise the issue never published anything, and what it
 * got (if anything) expires unused. Pure.
 */
final class InterruptedIssue {
  private InterruptedIssue() {}

  /** What an AccessKey's Secret publishes, as recovery needs it; fields are null when absent. */
  record Published(String accessKeyId, long revision, Instant expiresAt, boolean complete) {
    /** @return null when there is no Secret or another owner's */
    static Published of(AccessKey accessKey, Secret secret) {
      if (secret == null || !PublishedSecret.isOwnedBy(secret, accessKey)) {
        return null;
      }
      Map<String, String> annotations = secret.getMetadata().getAnnotations();
      String expiresAt = annotations == null ? null : annotations.get(SecretRenderer.EXPIRES_AT_ANNOTATION);
      return new Published(PublishedSecret.accessKeyId(secret).orElse(null), PublishedSecret.revision(secret),
          parse(expiresAt), PublishedSecret.secretAccessKey(secret).isPresent()
              && PublishedSecret.sessionToken(secret).isPresent());
    }

    private static Instant parse(String text) {
      try {
        return text == null ? null : Instant.parse(text);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
  }

  /**
   * @param recordedId the credentials status names; null before the first issue
   * @param recordedRevision status.revision; null before the first issue
   * @param published what the Secret holds; null when there is none of this AccessKey's
   */
  static boolean published(String recordedId, Long recordedRevision, Published published) {
    long expected = (recordedRevision == null ? 0 : recordedRevision) + 1;
    return published != null
        && published.complete()
        && published.accessKeyId() != null
        && !published.accessKeyId().equals(recordedId)
        && published.expiresAt() != null
        && published.revision() == expected;
  }
}
