package io.keywarden.backend;

import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.ProviderSpec;
import java.util.Map;

/**
 * Everything that differs between backends outside the key calls themselves: one object per
 * backend, registered once in {@link BackendRegistry}. Nothing else looks at which backend block a
 * provider sets. Failures are {@link io.keywarden.api.SpecProblem}s naming the field.
 */
public interface BackendKind {

  /** The provider spec block this kind reads, e.g. {@code spec.aws}, for messages. */
  String block();

  /** Whether this kind serves a provider with this spec. */
  boolean claims(ProviderSpec spec);

  /** Where the provider's credentials are; refuses an incomplete block. */
  CredentialSource credentials(ProviderSpec spec);

  /** Refuses the AccessKey fields this backend has no home for, naming the field. */
  void checkAccessKey(ProviderSpec provider, AccessKeySpec spec);

  /**
   * Opens the backend client.
   *
   * @param credentials the credential Secret's entries; null for {@link CredentialSource.DefaultChain}
   * @param tokens for {@link CredentialSource.ServiceAccount}; otherwise null
   */
  KeyBackend connect(ProviderSpec spec, Map<String, SecretValue> credentials, TokenSource tokens);

  /**
   * The Secret entries that publish a key to workloads.
   *
   * @param sessionToken only for temporary credentials, otherwise null
   */
  Map<String, SecretValue> secretEntries(
      ProviderSpec spec, String accessKeyId, SecretValue secretKey, SecretValue sessionToken);
}
