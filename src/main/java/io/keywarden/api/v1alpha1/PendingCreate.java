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
   * The key this create is about: the access key id keywarden chose before the create (MinIO), or
   * the id of a created key that waits for its verification or Secret write on a later reconcile.
   * Recovery then looks at exactly this key, never by time or tag.
   */
  @JsonPropertyDescription("The key this create is about: chosen before the create (MinIO), or created and not yet verified or published.")
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
