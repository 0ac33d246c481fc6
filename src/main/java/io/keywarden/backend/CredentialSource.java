package io.keywarden.backend;

import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.api.v1alpha1.ServiceAccountToken;
import java.util.List;

/** Where a provider's own credentials come from, as its backend kind reads the provider spec. */
public sealed interface CredentialSource {

  /** The namespace the spec names for the credentials, or null for the resolver's default. */
  String namespace();

  /** No stored credentials: the SDK's default chain (IRSA, pod identity, instance profile). */
  record DefaultChain() implements CredentialSource {
    @Override
    public String namespace() {
      return null;
    }
  }

  /**
   * A Secret that must hold {@code requiredKeys}.
   *
   * @param field the spec field that names it, for messages
   */
  record SecretKeys(String field, SecretRef ref, List<String> requiredKeys) implements CredentialSource {
    @Override
    public String namespace() {
      return ref.namespace;
    }
  }

  /**
   * Tokens of a ServiceAccount the backend signs in with.
   *
   * @param field the spec field that names it, for messages
   */
  record ServiceAccount(String field, ServiceAccountToken token) implements CredentialSource {
    @Override
    public String namespace() {
      return token.namespace;
    }
  }
}
