package io.keywarden.shard;

/**
 * Exclusion across operator instances for one (provider, user) scope: creates and recoveries of
 * that user's keys hold it, so a recovery in one instance never takes another instance's in-flight
 * key for an orphan. Within one process {@code KeyedLocks} already serializes; this is the part
 * that crosses processes.
 */
public interface UserLeases extends AutoCloseable {
  /** One instance serves every AccessKey: nothing to exclude across processes. */
  UserLeases SINGLE_INSTANCE = scope -> () -> {};

  /**
   * Takes the scope's lease for this instance.
   *
   * @throws LeaseBusy when another live instance holds it: try again later, do not wait in the thread
   */
  Held acquire(String scope);

  /** Stops renewing what is held (the process ends); nothing is given up. */
  @Override
  default void close() {}

  /** A held lease; closing gives it up. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }
}
