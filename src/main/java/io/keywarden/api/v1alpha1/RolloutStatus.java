package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * The consumers restarted for a published revision. Kept in status so that an operator restart
 * neither restarts them again nor forgets what it waits for.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutStatus {
  /** The Secret revision the consumers were restarted for. */
  public Long revision;
  /** RFC 3339: when their pod templates were annotated. */
  public String startedAt;
  /** RFC 3339: when every consumer had rolled out; the grace period counts from here. */
  public String finishedAt;
  public List<WorkloadRollout> workloads = new ArrayList<>();

  public RolloutStatus() {}

  /** A rollout whose consumers still wait for their restart. */
  public RolloutStatus(long revision) {
    this.revision = revision;
  }
}
