package io.keywarden.provider;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import io.keywarden.api.v1alpha1.MinioOpenId;
import io.keywarden.api.v1alpha1.OutscaleCredentials;
import io.keywarden.api.v1alpha1.ProviderCredentials;
import io.keywarden.api.v1alpha1.ProviderKind;
import io.keywarden.api.v1alpha1.ProviderRef;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.api.v1alpha1.ServiceAccountToken;
import io.keywarden.backend.SecretValue;
import io.keywarden.reconciler.SpecProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the provider an AccessKey names and reads its credentials, enforcing who may use what: a
 * namespaced provider serves its own namespace and reads Secrets there only; a cluster provider
 * reads Secrets from the operator's namespace (or the one it names) and serves the namespaces its
 * selector allows.
 */
public final class ProviderResolver {
  private final KubernetesClient client;
  private final String operatorNamespace;

  public ProviderResolver(KubernetesClient client, String operatorNamespace) {
    this.client = client;
    this.operatorNamespace = operatorNamespace;
  }

  public ResolvedProvider forAccessKey(String namespace, ProviderRef ref) {
    if (ref.effectiveKind() == ProviderKind.ClusterAccessKeyProvider) {
      ClusterAccessKeyProvider provider =
          client.resources(ClusterAccessKeyProvider.class).withName(ref.name).get();
      if (provider == null) {
        throw new SpecProblem(
            "ProviderNotFound", "spec.provider: ClusterAccessKeyProvider " + ref.name + " not found");
      }
      if (provider.getSpec().allowedNamespaces != null) {
        Namespace ns = client.namespaces().withName(namespace).get();
        if (ns == null
            || !LabelSelectors.matches(provider.getSpec().allowedNamespaces, ns.getMetadata().getLabels())) {
          throw new SpecProblem(
              "ProviderNotAllowed",
              "spec.provider: ClusterAccessKeyProvider "
                  + ref.name
                  + " does not allow namespace "
                  + namespace
                  + " (spec.allowedNamespaces)");
        }
      }
      return resolve(provider);
    }
    AccessKeyProvider provider =
        client.resources(AccessKeyProvider.class).inNamespace(namespace).withName(ref.name).get();
    if (provider == null) {
      throw new SpecProblem(
          "ProviderNotFound",
          "spec.provider: AccessKeyProvider " + ref.name + " not found in namespace " + namespace);
    }
    return resolve(provider);
  }

  public ResolvedProvider resolve(AccessKeyProvider provider) {
    String ns = provider.getMetadata().getNamespace();
    String id = "AccessKeyProvider/" + ns + "/" + provider.getMetadata().getName();
    MinioOpenId openid = openId(provider.getSpec());
    if (openid != null) {
      String named = openid.serviceAccountToken.namespace;
      if (named != null && !named.equals(ns)) {
        throw SpecProblem.invalid("spec.minio.openid.serviceAccountToken.namespace",
            "a namespaced provider uses ServiceAccounts of its own namespace only");
      }
      return signIn(id, provider.getSpec(), provider.getMetadata().getGeneration(), ns, openid);
    }
    CredentialSource source = credentialSource(provider.getSpec());
    if (source != null && source.ref().namespace != null && !source.ref().namespace.equals(ns)) {
      throw SpecProblem.invalid(source.field() + ".namespace", "a namespaced provider reads Secrets from its own namespace only");
    }
    return read(id, provider.getSpec(), provider.getMetadata().getGeneration(), ns, source);
  }

  public ResolvedProvider resolve(ClusterAccessKeyProvider provider) {
    String id = "ClusterAccessKeyProvider/" + provider.getMetadata().getName();
    MinioOpenId openid = openId(provider.getSpec());
    if (openid != null) {
      String named = openid.serviceAccountToken.namespace;
      return signIn(id, provider.getSpec(), provider.getMetadata().getGeneration(),
          named != null ? named : operatorNamespace, openid);
    }
    CredentialSource source = credentialSource(provider.getSpec());
    String ns = source != null && source.ref().namespace != null ? source.ref().namespace : operatorNamespace;
    return read(id, provider.getSpec(), provider.getMetadata().getGeneration(), ns, source);
  }

  private static MinioOpenId openId(ProviderSpec spec) {
    return spec != null && spec.minio != null && spec.aws == null && spec.outscale == null ? spec.minio.openid : null;
  }

  /** An OpenID provider: no stored credentials, tokens of a ServiceAccount that must exist. */
  private ResolvedProvider signIn(String id, ProviderSpec spec, Long generation, String namespace, MinioOpenId openid) {
    if (spec.minio.credentials != null) {
      throw SpecProblem.invalid("spec.minio", "set exactly one of credentials and openid");
    }
    ServiceAccountToken token = openid.serviceAccountToken;
    if (client.serviceAccounts().inNamespace(namespace).withName(token.serviceAccountName).get() == null) {
      throw new SpecProblem("ServiceAccountNotFound", "spec.minio.openid.serviceAccountToken.serviceAccountName:"
          + " ServiceAccount " + namespace + "/" + token.serviceAccountName + " not found");
    }
    ServiceAccountTokens tokens = new ServiceAccountTokens(
        client, namespace, token.serviceAccountName, token.audience, token.effectiveExpirationSeconds());
    return new ResolvedProvider(id, spec, null, id + "@" + generation, tokens);
  }

  /** Where a provider's credentials are and which keys its Secret must hold; null: the SDK default chain. */
  private record CredentialSource(String field, SecretRef ref, List<String> requiredKeys) {}

  private static CredentialSource credentialSource(ProviderSpec spec) {
    int backends = spec == null ? 0
        : (spec.aws != null ? 1 : 0) + (spec.outscale != null ? 1 : 0) + (spec.minio != null ? 1 : 0);
    if (backends != 1) {
      throw SpecProblem.invalid("spec", "exactly one backend (spec.aws, spec.outscale or spec.minio) must be set");
    }
    if (spec.minio != null) {
      if (spec.minio.credentials == null || spec.minio.credentials.secretRef == null) {
        throw SpecProblem.invalid("spec.minio.credentials.secretRef", "required");
      }
      return new CredentialSource("spec.minio.credentials.secretRef", spec.minio.credentials.secretRef,
          List.of(Backends.AWS_ACCESS_KEY_ID, Backends.AWS_SECRET_ACCESS_KEY));
    }
    if (spec.aws != null) {
      ProviderCredentials credentials = spec.aws.credentials;
      return credentials == null || credentials.secretRef == null ? null
          : new CredentialSource("spec.aws.credentials.secretRef", credentials.secretRef,
              List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"));
    }
    OutscaleCredentials credentials = spec.outscale.credentials;
    if (credentials != null && credentials.loginSecretRef != null) {
      return new CredentialSource("spec.outscale.credentials.loginSecretRef", credentials.loginSecretRef,
          List.of(Backends.OSC_LOGIN, Backends.OSC_PASSWORD));
    }
    if (credentials == null || credentials.secretRef == null) {
      throw SpecProblem.invalid("spec.outscale.credentials", "set secretRef or loginSecretRef");
    }
    return new CredentialSource("spec.outscale.credentials.secretRef", credentials.secretRef,
        List.of(Backends.OSC_ACCESS_KEY, Backends.OSC_SECRET_KEY));
  }

  private ResolvedProvider read(String id, ProviderSpec spec, Long generation, String namespace, CredentialSource source) {
    if (source == null) {
      return new ResolvedProvider(id, spec, null, id + "@" + generation);
    }
    Secret secret = client.secrets().inNamespace(namespace).withName(source.ref().name).get();
    if (secret == null) {
      throw new SpecProblem("CredentialsNotFound",
          source.field() + ": Secret " + namespace + "/" + source.ref().name + " not found");
    }
    Map<String, SecretValue> entries = decode(secret);
    for (String required : source.requiredKeys()) {
      if (!entries.containsKey(required)) {
        throw new SpecProblem("CredentialsNotFound",
            source.field() + ": Secret " + namespace + "/" + source.ref().name + " has no key " + required);
      }
    }
    return new ResolvedProvider(
        id, spec, entries, id + "@" + generation + "/" + secret.getMetadata().getResourceVersion());
  }

  private static Map<String, SecretValue> decode(Secret secret) {
    Map<String, SecretValue> entries = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> entries.put(k,
          SecretValue.of(new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8))));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> entries.put(k, SecretValue.of(v)));
    }
    return entries;
  }
}
