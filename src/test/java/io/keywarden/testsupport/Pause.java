package io.keywarden.testsupport;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.reconciler.LifecycleObserver;
import io.keywarden.reconciler.LifecycleStep;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the reconcile thread at a lifecycle step until released, then lets it go on: a slow
 * instance, where {@link Crash} is a dead one. Holds once, for the first AccessKey (of that name,
 * if one is given) to reach the step.
 */
public final class Pause implements LifecycleObserver {
  private final LifecycleStep step;
  private final String accessKey;
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);

  private Pause(LifecycleStep step, String accessKey) {
    this.step = step;
    this.accessKey = accessKey;
  }

  public static Pause at(LifecycleStep step) {
    return new Pause(step, null);
  }

  public static Pause at(LifecycleStep step, String accessKey) {
    return new Pause(step, accessKey);
  }

  public boolean awaitReached(long seconds) throws InterruptedException {
    return reached.await(seconds, TimeUnit.SECONDS);
  }

  public void release() {
    released.countDown();
  }

  @Override
  public void reached(LifecycleStep current, AccessKey accessKey) {
    if (current != step || reached.getCount() == 0
        || (this.accessKey != null && !this.accessKey.equals(accessKey.getMetadata().getName()))) {
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
