package io.keywarden.shard;

/**
 * Another operator instance holds the (provider, user) Lease: this create or recovery must wait.
 * Not a failure of the AccessKey; the reconcile is rescheduled without touching its status.
 */
public final class LeaseBusy extends RuntimeException {
  public LeaseBusy(String lease, String holder) {
    super("Lease " + lease + " is held by " + holder + "; another keywarden instance is creating or recovering a key"
        + " of the same (provider, user)");
  }
}
