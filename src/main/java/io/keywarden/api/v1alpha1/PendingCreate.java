package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The create fence: written with optimistic locking before the one backend create call, cleared
 * once the new key is recorded. A fence without a recorded key means an interrupted create.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PendingCreate {
  @JsonPropertyDescription("Random; Outscale keys are tagged with it.")
  public String nonce;
  /** RFC 3339; keys created at the backend since then may belong to the interrupted create. */
  @JsonPropertyDescription("Keys created at the backend since then may belong to an interrupted create.")
  public String startedAt;
  /**
   * The access key id keywarden chose before the create, for backends that take client-chosen
   * credentials (MinIO): recovery then looks for exactly this key, never by time or tag.
   */
  @JsonPropertyDescription("MinIO: the access key id keywarden chose before the create.")
  public String accessKeyId;

  public PendingCreate() {}

  public PendingCreate(String nonce, String startedAt) {
    this.nonce = nonce;
    this.startedAt = startedAt;
  }

  public PendingCreate(String nonce, String startedAt, String accessKeyId) {
    this(nonce, startedAt);
    this.accessKeyId = accessKeyId;
  }
}
