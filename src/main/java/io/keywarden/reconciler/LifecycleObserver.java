package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.AccessKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told each time a lifecycle step completes. The operator logs the steps; the crash tests stop
 * the operator at a chosen step and start a fresh one on the state left behind.
 */
@FunctionalInterface
public interface LifecycleObserver {
  void reached(LifecycleStep step, AccessKey accessKey);

  LifecycleObserver LOGGING =
      new LifecycleObserver() {
        private final Logger log = LoggerFactory.getLogger(LifecycleObserver.class);

        @Override
        public void reached(LifecycleStep step, AccessKey accessKey) {
          log.debug("{}/{}: {}", accessKey.getMetadata().getNamespace(), accessKey.getMetadata().getName(), step);
        }
      };
}
