package io.keywarden.testsupport;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.AwsProvider;
import io.keywarden.api.v1alpha1.MinioCredentials;
import io.keywarden.api.v1alpha1.MinioProvider;
import io.keywarden.api.v1alpha1.ProviderCredentials;
import io.keywarden.api.v1alpha1.ProviderRef;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.api.v1alpha1.SecretRef;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Builders for the objects tests apply. */
public final class Fixtures {
  private Fixtures() {}

  public static AccessKeyProvider awsProvider(String namespace, String name, String endpoint, String credentialsSecret) {
    AccessKeyProvider provider = new AccessKeyProvider();
    provider.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    ProviderSpec spec = new ProviderSpec();
    spec.aws = new AwsProvider();
    spec.aws.region = "us-east-1";
    spec.aws.endpoint = endpoint;
    spec.aws.credentials = new ProviderCredentials();
    spec.aws.credentials.secretRef = new SecretRef(credentialsSecret);
    provider.setSpec(spec);
    return provider;
  }

  /** A MinIO provider whose credentials Secret holds AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. */
  public static AccessKeyProvider minioProvider(String namespace, String name, String endpoint, String credentialsSecret) {
    AccessKeyProvider provider = new AccessKeyProvider();
    provider.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    ProviderSpec spec = new ProviderSpec();
    spec.minio = new MinioProvider();
    spec.minio.endpoint = endpoint;
    spec.minio.credentials = new MinioCredentials();
    spec.minio.credentials.secretRef = new SecretRef(credentialsSecret);
    provider.setSpec(spec);
    return provider;
  }

  public static Secret credentialsSecret(String namespace, String name, String accessKeyId, String secretKey) {
    return new SecretBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withData(Map.of("AWS_ACCESS_KEY_ID", base64(accessKeyId), "AWS_SECRET_ACCESS_KEY", base64(secretKey)))
        .build();
  }

  public static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  public static AccessKey accessKey(String namespace, String name, String provider, String user) {
    AccessKey accessKey = new AccessKey();
    accessKey.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    AccessKeySpec spec = new AccessKeySpec();
    spec.provider = new ProviderRef(provider, null);
    spec.user = user;
    accessKey.setSpec(spec);
    return accessKey;
  }
}
