package io.keywarden.provider;

import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.minio.MinioWebIdentity;
import java.util.Map;

/**
 * A provider with its credentials read.
 *
 * @param id "Kind/namespace/name" or "Kind/name": one per provider, used for locks and caches
 * @param credentials the credential Secret's entries, or null for the SDK default chain
 * @param version changes whenever the spec or the credential Secret changes
 * @param tokens for a MinIO OpenID provider: its ServiceAccount's tokens; otherwise null
 */
public record ResolvedProvider(
    String id, ProviderSpec spec, Map<String, SecretValue> credentials, String version, MinioWebIdentity.TokenSource tokens) {

  public ResolvedProvider(String id, ProviderSpec spec, Map<String, SecretValue> credentials, String version) {
    this(id, spec, credentials, version, null);
  }
}
