package io.keywarden.testsupport.memory;

import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.backend.AccessKeyFields;
import io.keywarden.backend.BackendKind;
import io.keywarden.backend.CredentialSource;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.TokenSource;
import io.keywarden.secret.CredentialEntries;
import java.util.Map;

/**
 * A fourth backend kind that exists only in the tests, registered through the registry like the
 * shipped ones: it proves that adding a backend needs no change to the reconciler or the provider
 * resolution. The CRD has no block of its own for it, so it serves {@code spec.aws} providers
 * whose endpoint has the {@code memory:} scheme, and is registered before the AWS kind.
 */
public final class MemoryKind implements BackendKind {
  public static final String SCHEME = "memory:";
  /** An entry only this kind's Secrets carry. */
  public static final String BACKEND_ENTRY = "KEYWARDEN_TEST_BACKEND";

  private final KeyBackend backend;

  public MemoryKind(KeyBackend backend) {
    this.backend = backend;
  }

  @Override
  public String block() {
    return "spec.aws";
  }

  @Override
  public boolean claims(ProviderSpec spec) {
    return spec.aws != null && spec.aws.endpoint != null && spec.aws.endpoint.startsWith(SCHEME);
  }

  @Override
  public CredentialSource credentials(ProviderSpec spec) {
    return new CredentialSource.DefaultChain();
  }

  @Override
  public void checkAccessKey(ProviderSpec provider, AccessKeySpec spec) {
    AccessKeyFields.refuseKeySettings(spec, "memory keys", "there are no policies", "the memory backend");
  }

  @Override
  public KeyBackend connect(ProviderSpec spec, Map<String, SecretValue> credentials, TokenSource tokens) {
    return backend;
  }

  @Override
  public Map<String, SecretValue> secretEntries(
      ProviderSpec spec, String accessKeyId, SecretValue secretKey, SecretValue sessionToken) {
    Map<String, SecretValue> entries = CredentialEntries.aws(accessKeyId, secretKey, sessionToken, null, spec.aws.endpoint);
    entries.put(BACKEND_ENTRY, SecretValue.of("memory"));
    return entries;
  }
}
