package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The create fence: written with optimistic locking before the one backend create call, cleared
 * once the new key is recorded. A fence without a recorded key means an interrupted create.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingCreate {
  public String nonce;
  /** RFC 3339; keys created at the backend since then may belong to the interrupted create. */
  public String startedAt;

  public PendingCreate() {}

  public PendingCreate(String nonce, String startedAt) {
    this.nonce = nonce;
    this.startedAt = startedAt;
  }
}
