package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.SpecProblem;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.ConfigMapKeyRef;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.backend.ChosenCredentials;
import io.keywarden.backend.ChosenCredentials.ChosenKey;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.backend.SecretValue;
import io.keywarden.secret.SecretData;

/**
 * What an AccessKey spec refers to elsewhere: the policy (inline or from a ConfigMap) and the
 * custom credentials of spec.credentialsRef, each checked by the backend that will take it.
 * Errors name the field and never a secret.
 */
final class SpecReferences {
  /** The keys of a spec.credentialsRef Secret (the reference CLI's --access-key and --secret-key). */
  static final String ACCESS_KEY = "accessKey";
  static final String SECRET_KEY = "secretKey";

  private SpecReferences() {}

  /** The key's inline policy text, checked by the backend; null when the spec has none. */
  static String policy(KubernetesClient client, AccessKey accessKey, InPlaceSettings backend) {
    AccessKeySpec spec = accessKey.getSpec();
    String field = "spec.policy";
    String policy = spec.policy;
    if (spec.policyRef != null) {
      ConfigMapKeyRef ref = spec.policyRef.configMapKeyRef;
      field = "spec.policyRef.configMapKeyRef";
      String ns = accessKey.getMetadata().getNamespace();
      ConfigMap map = client.configMaps().inNamespace(ns).withName(ref.name).get();
      if (map == null) {
        throw new SpecProblem("PolicyNotFound", field + ": ConfigMap " + ns + "/" + ref.name + " not found");
      }
      policy = map.getData() == null ? null : map.getData().get(ref.key);
      if (policy == null) {
        throw new SpecProblem("PolicyNotFound", field + ": ConfigMap " + ns + "/" + ref.name + " has no key " + ref.key);
      }
    }
    String where = field;
    backend.policyProblem(policy).ifPresent(problem -> {
      throw SpecProblem.invalid(where, "the policy " + problem);
    });
    return policy;
  }

  /** The credentials of spec.credentialsRef, checked by the backend, or a pair it generates. */
  static ChosenKey credentials(KubernetesClient client, AccessKey accessKey, ChosenCredentials backend) {
    AccessKeySpec spec = accessKey.getSpec();
    if (spec.credentialsRef == null) {
      return backend.generate();
    }
    String field = "spec.credentialsRef.secretRef";
    SecretRef ref = spec.credentialsRef.secretRef;
    String ns = accessKey.getMetadata().getNamespace();
    if (ref == null || ref.name == null) {
      throw SpecProblem.invalid(field, "required");
    }
    if (ref.namespace != null && !ref.namespace.equals(ns)) {
      throw SpecProblem.invalid(field + ".namespace", "the Secret must be in the AccessKey's namespace " + ns);
    }
    Secret secret = client.secrets().inNamespace(ns).withName(ref.name).get();
    if (secret == null) {
      throw new SpecProblem("CredentialsNotFound", field + ": Secret " + ns + "/" + ref.name + " not found");
    }
    var entries = SecretData.decode(secret);
    SecretValue accessKeyId = nonEmpty(entries.get(ACCESS_KEY));
    SecretValue secretKey = nonEmpty(entries.get(SECRET_KEY));
    if (accessKeyId == null || secretKey == null) {
      throw new SpecProblem("CredentialsNotFound", field + ": Secret " + ns + "/" + ref.name + " needs the keys "
          + ACCESS_KEY + " and " + SECRET_KEY);
    }
    String id = accessKeyId.reveal();
    backend.accessKeyProblem(id).ifPresent(problem -> {
      throw SpecProblem.invalid(field, "the " + ACCESS_KEY + " " + problem);
    });
    backend.secretKeyProblem(secretKey).ifPresent(problem -> {
      throw SpecProblem.invalid(field, "the " + SECRET_KEY + " " + problem);
    });
    if (id.equals(spec.user)) {
      throw SpecProblem.invalid(field, "the " + ACCESS_KEY + " must differ from spec.user");
    }
    return new ChosenKey(id, secretKey);
  }

  private static SecretValue nonEmpty(SecretValue value) {
    return value == null || value.reveal().isEmpty() ? null : value;
  }
}
