package io.keywarden.provider;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import io.keywarden.api.v1alpha1.ProviderKind;
import io.keywarden.api.v1alpha1.ProviderRef;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.api.v1alpha1.ServiceAccountToken;
import io.keywarden.backend.BackendKind;
import io.keywarden.backend.BackendRegistry;
import io.keywarden.backend.CredentialSource;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.TokenSource;
import io.keywarden.secret.SecretData;
import io.keywarden.api.SpecProblem;
import java.util.Map;

/**
 * Finds the provider an AccessKey names and reads its credentials, enforcing who may use what: a
 * namespaced provider serves its own namespace and reads Secrets there only; a cluster provider
 * reads Secrets from the operator's namespace (or the one it names) and serves the namespaces its
 * selector allows.
 */
public final class ProviderResolver {
  private final KubernetesClient client;
  private final ProviderReads reads;
  private final BackendRegistry backends;
  private final String operatorNamespace;

  /** Reads providers and credentials from the API server every time. */
  public ProviderResolver(KubernetesClient client, BackendRegistry backends, String operatorNamespace) {
    this(client, ProviderReads.direct(client), backends, operatorNamespace);
  }

  public ProviderResolver(KubernetesClient client, ProviderReads reads, BackendRegistry backends, String operatorNamespace) {
    this.client = client;
    this.reads = reads;
    this.backends = backends;
    this.operatorNamespace = operatorNamespace;
  }

  public ResolvedProvider forAccessKey(String namespace, ProviderRef ref) {
    if (ref.effectiveKind() == ProviderKind.ClusterAccessKeyProvider) {
      ClusterAccessKeyProvider provider = reads.clusterProvider(ref.name);
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
    AccessKeyProvider provider = reads.provider(namespace, ref.name);
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
    ProviderSpec spec = provider.getSpec();
    BackendKind kind = backends.kindOf(spec);
    CredentialSource source = kind.credentials(spec);
    String named = source.namespace();
    if (named != null && !named.equals(ns) && source instanceof CredentialSource.ServiceAccount account) {
      throw SpecProblem.invalid(account.field() + ".namespace", "a namespaced provider uses ServiceAccounts of its own namespace only");
    }
    if (named != null && !named.equals(ns) && source instanceof CredentialSource.SecretKeys secret) {
      throw SpecProblem.invalid(secret.field() + ".namespace", "a namespaced provider reads Secrets from its own namespace only");
    }
    return read(id, kind, spec, provider.getMetadata().getGeneration(), ns, source);
  }

  /** A cluster provider reads from the operator's namespace unless its spec names another. */
  public ResolvedProvider resolve(ClusterAccessKeyProvider provider) {
    String id = "ClusterAccessKeyProvider/" + provider.getMetadata().getName();
    ProviderSpec spec = provider.getSpec();
    BackendKind kind = backends.kindOf(spec);
    CredentialSource source = kind.credentials(spec);
    String named = source.namespace();
    return read(id, kind, spec, provider.getMetadata().getGeneration(), named != null ? named : operatorNamespace, source);
  }

  private ResolvedProvider read(
      String id, BackendKind kind, ProviderSpec spec, Long generation, String namespace, CredentialSource source) {
    if (source instanceof CredentialSource.SecretKeys secret) {
      return readSecret(id, kind, spec, generation, namespace, secret);
    }
    TokenSource tokens = source instanceof CredentialSource.ServiceAccount account ? signIn(namespace, account) : null;
    return new ResolvedProvider(id, kind, spec, null, id + "@" + generation, tokens);
  }

  /** Tokens of a ServiceAccount that must exist; nothing is stored. */
  private ServiceAccountTokens signIn(String namespace, CredentialSource.ServiceAccount source) {
    ServiceAccountToken token = source.token();
    if (client.serviceAccounts().inNamespace(namespace).withName(token.serviceAccountName).get() == null) {
      throw new SpecProblem("ServiceAccountNotFound", source.field() + ".serviceAccountName:"
          + " ServiceAccount " + namespace + "/" + token.serviceAccountName + " not found");
    }
    return new ServiceAccountTokens(
        client, namespace, token.serviceAccountName, token.audience, token.effectiveExpirationSeconds());
  }

  private ResolvedProvider readSecret(String id, BackendKind kind, ProviderSpec spec, Long generation, String namespace,
      CredentialSource.SecretKeys source) {
    Secret secret = reads.secret(namespace, source.ref().name);
    if (secret == null) {
      throw new SpecProblem("CredentialsNotFound",
          source.field() + ": Secret " + namespace + "/" + source.ref().name + " not found");
    }
    Map<String, SecretValue> entries = SecretData.decode(secret);
    for (String required : source.requiredKeys()) {
      if (!entries.containsKey(required)) {
        throw new SpecProblem("CredentialsNotFound",
            source.field() + ": Secret " + namespace + "/" + source.ref().name + " has no key " + required);
      }
    }
    return new ResolvedProvider(
        id, kind, spec, entries, id + "@" + generation + "/" + secret.getMetadata().getResourceVersion(), null);
  }
}
