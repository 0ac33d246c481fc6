package io.keywarden.rollout;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.api.v1alpha1.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and restarts the workloads that consume keys, one namespace at a time: a GET per named
 * workload, a LIST per kind when consumers are discovered, a merge patch of pod-template
 * annotations. No informer: workloads are looked at only while a rotation waits for them.
 */
public final class Workloads {
  /** The field manager of keywarden's patches: server-side appliers (Flux) leave its fields alone. */
  static final String FIELD_MANAGER = "keywarden";

  private final KubernetesClient client;

  public Workloads(KubernetesClient client) {
    this.client = client;
  }

  public Optional<HasMetadata> get(WorkloadRef ref) {
    return Optional.ofNullable(resource(ref).get());
  }

  /** Every Deployment, StatefulSet and DaemonSet in the namespace whose pod template reads the Secret. */
  public List<WorkloadRef> referencing(String namespace, String secretName) {
    List<WorkloadRef> found = new ArrayList<>();
    for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
      add(found, namespace, WorkloadKind.Deployment, d, d.getSpec().getTemplate(), secretName);
    }
    for (StatefulSet s : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
      add(found, namespace, WorkloadKind.StatefulSet, s, s.getSpec().getTemplate(), secretName);
    }
    for (DaemonSet ds : client.apps().daemonSets().inNamespace(namespace).list().getItems()) {
      add(found, namespace, WorkloadKind.DaemonSet, ds, ds.getSpec().getTemplate(), secretName);
    }
    return found;
  }

  /** The value of a pod-template annotation, or null. */
  public static String templateAnnotation(HasMetadata workload, String key) {
    PodTemplateSpec template = template(workload);
    Map<String, String> annotations = template == null || template.getMetadata() == null
        ? null : template.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  /** Sets the annotations on the workload's pod template in one patch: one new rollout. */
  public void annotateTemplate(WorkloadRef ref, Map<String, String> annotations) {
    String patch = Serialization.asJson(
        Map.of("spec", Map.of("template", Map.of("metadata", Map.of("annotations", annotations)))));
    PatchContext context = new PatchContext.Builder()
        .withPatchType(PatchType.JSON_MERGE)
        .withFieldManager(FIELD_MANAGER)
        .build();
    resource(ref).patch(context, patch);
  }

  private static void add(List<WorkloadRef> found, String namespace, WorkloadKind kind, HasMetadata workload,
      PodTemplateSpec template, String secretName) {
    if (template != null && SecretReferences.references(template.getSpec(), secretName)) {
      found.add(new WorkloadRef(namespace, kind, workload.getMetadata().getName()));
    }
  }

  private static PodTemplateSpec template(HasMetadata workload) {
    if (workload instanceof Deployment d) {
      return d.getSpec().getTemplate();
    }
    if (workload instanceof StatefulSet s) {
      return s.getSpec().getTemplate();
    }
    if (workload instanceof DaemonSet ds) {
      return ds.getSpec().getTemplate();
    }
    return null;
  }

  private Resource<? extends HasMetadata> resource(WorkloadRef ref) {
    return switch (ref.kind()) {
      case Deployment -> client.apps().deployments().inNamespace(ref.namespace()).withName(ref.name());
      case StatefulSet -> client.apps().statefulSets().inNamespace(ref.namespace()).withName(ref.name());
      case DaemonSet -> client.apps().daemonSets().inNamespace(ref.namespace()).withName(ref.name());
    };
  }
}
