package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What keywarden observed and did. Never holds a secret key. Times are RFC 3339 strings. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AccessKeyStatus {
  public String accessKeyId;
  /** The backend user that holds the key ("" would be ambiguous: absent means the account itself). */
  public String user;
  public String createdAt;
  public String expiresAt;
  public String renewalTime;
  /** Incremented each time a new key is published to the Secret. */
  public Long revision;

  public String previousAccessKeyId;
  public String previousRetireAt;
  /** When the previous key expires on its own (AWS: when keywarden deletes it at the latest). */
  public String previousExpiresAt;

  public PendingCreate pendingCreate;

  /**
   * Backends with per-key settings (MinIO): a digest of the name, description and policy last
   * applied to the current key; a different digest of the spec means "update in place".
   */
  public String appliedSettings;

  /** The value of the keywarden.io/rotate annotation that the last manual rotation served. */
  public String rotationRequest;

  /** The value of the keywarden.io/revoke annotation that the last new key served. */
  public String revokeRequest;

  /** The last revocation (keywarden.io/revoke); a revoked previous key is retired at once. */
  public Revocation revocation;

  /** The consumers restarted for the published revision and how far they rolled out. */
  public RolloutStatus rollout;

  public Long observedGeneration;
  public List<Condition> conditions = new ArrayList<>();
  public String lastFailureTime;
  public Integer failedAttempts;
}
