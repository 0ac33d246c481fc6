package io.keywarden.provider;

import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.backend.SecretValue;
import java.util.Map;

/**
 * A provider with its credentials read.
 *
 * @param id "Kind/namespace/name" or "Kind/name": one per provider, used for locks and caches
 * @param credentials the credential Secret's entries, or null for the SDK default chain
 * @param version changes whenever the spec or the credential Secret changes
 */
public record ResolvedProvider(
    String id, ProviderSpec spec, Map<String, SecretValue> credentials, String version) {}
