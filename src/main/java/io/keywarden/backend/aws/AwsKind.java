package io.keywarden.backend.aws;

import io.keywarden.api.SpecProblem;
import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.AwsProvider;
import io.keywarden.api.v1alpha1.ProviderCredentials;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.backend.AccessKeyFields;
import io.keywarden.backend.BackendKind;
import io.keywarden.backend.CredentialSource;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.TokenSource;
import io.keywarden.secret.CredentialEntries;
import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** {@code spec.aws}: AWS IAM access keys, with the provider's stored keys or the SDK default chain. */
public final class AwsKind implements BackendKind {

  @Override
  public String block() {
    return "spec.aws";
  }

  @Override
  public boolean claims(ProviderSpec spec) {
    return spec.aws != null;
  }

  @Override
  public CredentialSource credentials(ProviderSpec spec) {
    ProviderCredentials credentials = spec.aws.credentials;
    return credentials == null || credentials.secretRef == null ? new CredentialSource.DefaultChain()
        : new CredentialSource.SecretKeys("spec.aws.credentials.secretRef", credentials.secretRef,
            List.of(CredentialEntries.ACCESS_KEY_ID, CredentialEntries.SECRET_ACCESS_KEY));
  }

  @Override
  public void checkAccessKey(ProviderSpec provider, AccessKeySpec spec) {
    AccessKeyFields.refuseKeySettings(spec, "AWS IAM access keys", "attach policies to the user", "AWS IAM");
    checkUserName(spec);
  }

  /** IAM's user-name rule, shared with Outscale's EIM users. */
  public static void checkUserName(AccessKeySpec spec) {
    if (spec.user != null) {
      IamNames.validateUserName(spec.user).ifPresent(problem -> {
        throw SpecProblem.invalid("spec.user", problem);
      });
    }
  }

  @Override
  public KeyBackend connect(ProviderSpec spec, Map<String, SecretValue> credentials, TokenSource tokens) {
    AwsProvider aws = spec.aws;
    AwsBackendConfig config = AwsBackendConfig.of(aws.region, credentialsProvider(credentials));
    if (aws.endpoint != null) {
      config = config.withEndpoint(URI.create(aws.endpoint));
    }
    if (aws.stsEndpoint != null) {
      config = config.withStsEndpoint(URI.create(aws.stsEndpoint));
    }
    return AwsIamBackend.create(config);
  }

  @Override
  public Map<String, SecretValue> secretEntries(
      ProviderSpec spec, String accessKeyId, SecretValue secretKey, SecretValue sessionToken) {
    return CredentialEntries.aws(accessKeyId, secretKey, sessionToken, spec.aws.region, spec.aws.endpoint);
  }

  private static AwsCredentialsProvider credentialsProvider(Map<String, SecretValue> entries) {
    if (entries == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    String id = entries.get(CredentialEntries.ACCESS_KEY_ID).reveal();
    String secret = entries.get(CredentialEntries.SECRET_ACCESS_KEY).reveal();
    SecretValue token = entries.get(CredentialEntries.SESSION_TOKEN);
    return StaticCredentialsProvider.create(token == null
        ? AwsBasicCredentials.create(id, secret)
        : AwsSessionCredentials.create(id, secret, token.reveal()));
  }
}
