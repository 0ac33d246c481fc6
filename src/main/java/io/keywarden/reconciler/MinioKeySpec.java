package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.ConfigMapKeyRef;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.minio.MinioKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The parts of an AccessKey spec that only backends with per-key settings and client-chosen
 * credentials use (MinIO): the policy (inline or from a ConfigMap) and the credentials keywarden
 * chooses (from spec.credentialsRef or generated). Errors name the field and never a secret.
 */
final class MinioKeySpec {
  static final String ACCESS_KEY = "accessKey";
  static final String SECRET_KEY = "secretKey";

  private MinioKeySpec() {}

  /** Client-chosen credentials; the secret key never appears in {@link #toString()}. */
  record Chosen(String accessKeyId, SecretValue secretKey) {}

  /** The key's inline policy text, validated; null when the spec has none. */
  static String policy(KubernetesClient client, AccessKey accessKey) {
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
    MinioKeys.validatePolicy(policy).ifPresent(problem -> {
      throw SpecProblem.invalid(where, "the policy " + problem);
    });
    return policy;
  }

  /** The credentials of spec.credentialsRef, validated, or a freshly generated pair. */
  static Chosen credentials(KubernetesClient client, AccessKey accessKey) {
    AccessKeySpec spec = accessKey.getSpec();
    if (spec.credentialsRef == null) {
      return new Chosen(MinioKeys.generateAccessKey(), MinioKeys.generateSecretKey());
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
    String accessKeyId = value(secret, ACCESS_KEY);
    String secretKey = value(secret, SECRET_KEY);
    if (accessKeyId == null || secretKey == null) {
      throw new SpecProblem("CredentialsNotFound", field + ": Secret " + ns + "/" + ref.name + " needs the keys "
          + ACCESS_KEY + " and " + SECRET_KEY);
    }
    MinioKeys.validateAccessKey(accessKeyId).ifPresent(problem -> {
      throw SpecProblem.invalid(field, "the " + ACCESS_KEY + " " + problem);
    });
    SecretValue secretValue = SecretValue.of(secretKey);
    MinioKeys.validateSecretKey(secretValue).ifPresent(problem -> {
      throw SpecProblem.invalid(field, "the " + SECRET_KEY + " " + problem);
    });
    if (accessKeyId.equals(spec.user)) {
      throw SpecProblem.invalid(field, "the " + ACCESS_KEY + " must differ from spec.user");
    }
    return new Chosen(accessKeyId, secretValue);
  }

  /**
   * A digest of the settings applied in place (name, description, policy), recorded in status so a
   * change to any of them is noticed without reading them back.
   */
  static String settingsDigest(String name, String description, String policy) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {name, description, policy}) {
        sha.update(part == null ? new byte[] {0} : ("=" + part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0x1f);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private static String value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        String text = new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
        return text.isEmpty() ? null : text;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      String text = secret.getStringData().get(key);
      return text.isEmpty() ? null : text;
    }
    return null;
  }
}
