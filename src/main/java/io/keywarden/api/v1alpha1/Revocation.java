package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A key revoked with the keywarden.io/revoke annotation: replaced, then deactivated and deleted at once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Revocation {
  /** The annotation value this revocation served; a different value asks for a new one. */
  public String request;
  /** The revoked key. */
  public String accessKeyId;
  /** The key published in its place. */
  public String replacedBy;
  /** RFC 3339: when the replacement was published. */
  public String revokedAt;

  public Revocation() {}

  public Revocation(String request, String accessKeyId, String replacedBy, String revokedAt) {
    this.request = request;
    this.accessKeyId = accessKeyId;
    this.replacedBy = replacedBy;
    this.revokedAt = revokedAt;
  }
}
