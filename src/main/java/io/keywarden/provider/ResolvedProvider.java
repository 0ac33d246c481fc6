package io.keywarden.provider;

import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.backend.BackendKind;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.TokenSource;
import java.util.Map;

/**
 * A provider with its backend kind chosen and its credentials read.
 *
 * @param id "Kind/namespace/name" or "Kind/name": one per provider, used for locks and caches
 * @param credentials the credential Secret's entries, or null when the kind reads none
 * @param version changes whenever the spec or the credential Secret changes
 * @param tokens for a provider that signs in as a ServiceAccount: its tokens; otherwise null
 */
public record ResolvedProvider(
    String id, BackendKind kind, ProviderSpec spec, Map<String, SecretValue> credentials, String version,
    TokenSource tokens) {

  /** Opens the backend client of the provider's kind. */
  public KeyBackend connect() {
    return kind.connect(spec, credentials, tokens);
  }
}
