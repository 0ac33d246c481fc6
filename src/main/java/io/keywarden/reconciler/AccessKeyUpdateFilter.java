package io.keywarden.reconciler;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.keywarden.api.v1alpha1.AccessKey;
import java.util.Objects;

/**
 * Lets an AccessKey update through when it asks for work: a spec change, a rotation or revocation
 * request, a deletion, or a finalizer change. Status writes (keywarden's own) are filtered out, which is what
 * keeps a failing key from reconciling in a loop.
 */
public class AccessKeyUpdateFilter implements OnUpdateFilter<AccessKey> {
  @Override
  public boolean accept(AccessKey updated, AccessKey old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !Objects.equals(annotation(updated, AccessKey.ROTATE_ANNOTATION), annotation(old, AccessKey.ROTATE_ANNOTATION))
        || !Objects.equals(annotation(updated, AccessKey.REVOKE_ANNOTATION), annotation(old, AccessKey.REVOKE_ANNOTATION))
        || (updated.isMarkedForDeletion() && !old.isMarkedForDeletion())
        || !Objects.equals(updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers());
  }

  private static String annotation(AccessKey accessKey, String name) {
    return KeyObserver.annotation(accessKey, name);
  }
}
