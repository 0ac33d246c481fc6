package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What keywarden observed and did. Never holds a secret key. Times are RFC 3339 strings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccessKeyStatus {
  @JsonPropertyDescription("The current access key id (the secret key is only in the Secret).")
  public String accessKeyId;
  /** The backend user that holds the key ("" would be ambiguous: absent means the account itself). */
  @JsonPropertyDescription("The backend user that holds the key; absent: the provider's own identity or the account.")
  public String user;
  @JsonPropertyDescription("When the current key was created.")
  public String createdAt;
  @JsonPropertyDescription("When the current key expires (absent: never).")
  public String expiresAt;
  @JsonPropertyDescription("When keywarden rotates the current key (with expiryDuration).")
  public String renewalTime;
  /** Incremented each time a new key is published to the Secret. */
  @JsonPropertyDescription("Incremented each time a new key is published to the Secret (also its keywarden.io/revision annotation).")
  public Long revision;

  @JsonPropertyDescription("During a rotation: the previous key, still active until previousRetireAt.")
  public String previousAccessKeyId;
  @JsonPropertyDescription("When the previous key is deactivated and deleted (the end of the grace period).")
  public String previousRetireAt;
  /** When the previous key expires on its own (AWS: when keywarden deletes it at the latest). */
  @JsonPropertyDescription("When the previous key expires on its own (AWS: when keywarden deletes it at the latest).")
  public String previousExpiresAt;

  @JsonPropertyDescription("The create fence: set before the one backend create call, cleared once the key is recorded.")
  public PendingCreate pendingCreate;

  /**
   * Backends with per-key settings (MinIO): a digest of the name, description and policy last
   * applied to the current key; a different digest of the spec means "update in place".
   */
  @JsonPropertyDescription("MinIO: a digest of the name, description and policy last applied to the key.")
  public String appliedSettings;

  /** The value of the keywarden.io/rotate annotation that the last manual rotation served. */
  @JsonPropertyDescription("The keywarden.io/rotate value the last manual rotation served.")
  public String rotationRequest;

  @JsonPropertyDescription("The value of the keywarden.io/revoke annotation that the last new key served.")
  public String revokeRequest;

  @JsonPropertyDescription("The last revocation (keywarden.io/revoke): the revoked key, the key that replaced it, when.")
  public Revocation revocation;

  @JsonPropertyDescription("The consumers restarted for the published revision and how far they rolled out.")
  public RolloutStatus rollout;

  @JsonPropertyDescription("The metadata.generation the conditions describe.")
  public Long observedGeneration;
  @JsonPropertyDescription("Ready (the key is published and usable), Rotating (a previous key is in its grace period) and,"
      + " for MinIO keys with a policy, PolicyNarrowed (the policy allows what the key's user may not do).")
  public List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("When the last attempt failed; cleared on success.")
  public String lastFailureTime;
  @JsonPropertyDescription("Failed attempts in a row (the backoff); cleared on success.")
  public Integer failedAttempts;
}
