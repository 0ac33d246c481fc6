package io.keywarden.provider;

import io.keywarden.api.v1alpha1.AwsProvider;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.aws.AwsBackendConfig;
import io.keywarden.backend.aws.AwsIamBackend;
import java.net.URI;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The production {@link BackendFactory}: maps a provider's backend block to its client. */
public final class Backends {
  private Backends() {}

  public static KeyBackend forProvider(ResolvedProvider provider) {
    AwsProvider aws = provider.spec().aws;
    AwsBackendConfig config = AwsBackendConfig.of(aws.region, credentials(provider.credentials()));
    if (aws.endpoint != null) {
      config = config.withEndpoint(URI.create(aws.endpoint));
    }
    if (aws.stsEndpoint != null) {
      config = config.withStsEndpoint(URI.create(aws.stsEndpoint));
    }
    return AwsIamBackend.create(config);
  }

  private static AwsCredentialsProvider credentials(Map<String, SecretValue> entries) {
    if (entries == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    String id = entries.get("AWS_ACCESS_KEY_ID").reveal();
    String secret = entries.get("AWS_SECRET_ACCESS_KEY").reveal();
    SecretValue token = entries.get("AWS_SESSION_TOKEN");
    return StaticCredentialsProvider.create(token == null
        ? AwsBasicCredentials.create(id, secret)
        : AwsSessionCredentials.create(id, secret, token.reveal()));
  }
}
