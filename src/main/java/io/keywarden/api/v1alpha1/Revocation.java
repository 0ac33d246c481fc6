package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A key revoked with the keywarden.io/revoke annotation: replaced, then deactivated and deleted at once. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Revocation {
  /** The annotation value this revocation served; a different value asks for a new one. */
  public String request;
  /** The revoked key. */
  public String accessKeyId;
  /** RFC 3339: when its replacement was published. */
  public String revokedAt;

  public Revocation() {}

  public Revocation(String request, String accessKeyId, String revokedAt) {
    this.request = request;
    this.accessKeyId = accessKeyId;
    this.revokedAt = revokedAt;
  }
}
