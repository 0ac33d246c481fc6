package io.keywarden.testsupport;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.reconciler.LifecycleObserver;
import io.keywarden.reconciler.LifecycleStep;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Freezes the reconcile thread at a lifecycle step, then dies with it, like a killed process: the
 * test closes the operator's client while the thread waits, releases it, and starts a fresh
 * operator on the state left behind.
 */
public final class Crash implements LifecycleObserver {
  private final LifecycleStep step;
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean armed;

  private Crash(LifecycleStep step, boolean armed) {
    this.step = step;
    this.armed = armed;
  }

  /** Crashes the first time the step is reached. */
  public static Crash at(LifecycleStep step) {
    return new Crash(step, true);
  }

  /** Crashes at the step only once {@link #arm()} was called (e.g. during a rotation, not the create before). */
  public static Crash armedLaterAt(LifecycleStep step) {
    return new Crash(step, false);
  }

  public void arm() {
    armed = true;
  }

  public boolean awaitReached(long seconds) throws InterruptedException {
    return reached.await(seconds, TimeUnit.SECONDS);
  }

  public void release() {
    released.countDown();
  }

  @Override
  public void reached(LifecycleStep current, AccessKey accessKey) {
    if (!armed || current != step || reached.getCount() == 0) {
      return;
    }
    reached.countDown();
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new SimulatedCrash(step);
  }

  /** An Error, so no catch block of keywarden's handles it: nothing after the step runs. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash(LifecycleStep step) {
      super("simulated crash after " + step);
    }
  }
}
