package io.keywarden.rollout;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Whether a pod template reads a Secret: {@code envFrom}, an {@code env} entry's
 * {@code valueFrom.secretKeyRef}, or a volume (plain or projected), in any container or init
 * container. Pure, so consumer discovery is table-tested.
 */
public final class SecretReferences {
  private SecretReferences() {}

  public static boolean references(PodSpec pod, String secretName) {
    if (pod == null) {
      return false;
    }
    boolean inContainers = Stream.concat(stream(pod.getContainers()), stream(pod.getInitContainers()))
        .anyMatch(c -> containerReferences(c, secretName));
    return inContainers || stream(pod.getVolumes()).anyMatch(v -> volumeReferences(v, secretName));
  }

  private static boolean containerReferences(Container container, String secretName) {
    boolean envFrom = stream(container.getEnvFrom())
        .map(EnvFromSource::getSecretRef)
        .filter(Objects::nonNull)
        .anyMatch(ref -> secretName.equals(ref.getName()));
    boolean env = stream(container.getEnv())
        .map(EnvVar::getValueFrom)
        .filter(Objects::nonNull)
        .map(from -> from.getSecretKeyRef())
        .filter(Objects::nonNull)
        .anyMatch(ref -> secretName.equals(ref.getName()));
    return envFrom || env;
  }

  private static boolean volumeReferences(Volume volume, String secretName) {
    if (volume.getSecret() != null && secretName.equals(volume.getSecret().getSecretName())) {
      return true;
    }
    ProjectedVolumeSource projected = volume.getProjected();
    return projected != null && stream(projected.getSources())
        .map(VolumeProjection::getSecret)
        .filter(Objects::nonNull)
        .anyMatch(s -> secretName.equals(s.getName()));
  }

  private static <T> Stream<T> stream(List<T> list) {
    return list == null ? Stream.empty() : list.stream();
  }
}
