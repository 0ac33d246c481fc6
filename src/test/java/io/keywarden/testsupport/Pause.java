package io.keywarden.testsupport;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.reconciler.LifecycleObserver;
import io.keywarden.reconciler.LifecycleStep;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the reconcile thread at a lifecycle step until released, then lets it go on: a slow
 * instance, where {@link Crash} is a dead one. Holds once, for the first AccessKey to reach the step.
 */
public final class Pause implements LifecycleObserver {
  private final LifecycleStep step;
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  private Pause(LifecycleStep step) {
    this.step = step;
  }

  public static Pause at(LifecycleStep step) {
    return new Pause(step);
  }

  public boolean awaitReached(long seconds) throws InterruptedException {
    return reached.await(seconds, TimeUnit.SECONDS);
  }

  public void release() {
    released.countDown();
  }

  @Override
  public void reached(LifecycleStep current, AccessKey accessKey) {
    if (current != step || reached.getCount() == 0) {
      return;
    }
    reached.countDown();
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
