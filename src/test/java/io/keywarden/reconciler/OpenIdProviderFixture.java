package io.keywarden.reconciler;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.MinioOpenId;
import io.keywarden.api.v1alpha1.ServiceAccountToken;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Fixtures;

/**
 * The provider the temporary-credentials controller tests use: MinIO signed in through OpenID as
 * the ServiceAccount "keys" (its backend is the test's in-memory one, so the endpoint is never
 * called).
 */
final class OpenIdProviderFixture {
  static final String PROVIDER = "sts";

  private OpenIdProviderFixture() {}

  /** Applies the CRDs, then creates the ServiceAccount and the provider in {@code ns}. */
  static void create(KubernetesClient client, String ns) {
    Crds.apply(client);
    client.resource(new ServiceAccountBuilder().withNewMetadata().withName("keys").withNamespace(ns).endMetadata()
        .build()).create();
    AccessKeyProvider provider = Fixtures.minioProvider(ns, PROVIDER, "http://127.0.0.1:1", "unused");
    provider.getSpec().minio.credentials = null;
    provider.getSpec().minio.openid = new MinioOpenId();
    provider.getSpec().minio.openid.serviceAccountToken = new ServiceAccountToken();
    provider.getSpec().minio.openid.serviceAccountToken.serviceAccountName = "keys";
    provider.getSpec().minio.openid.serviceAccountToken.audience = "minio";
    client.resource(provider).create();
  }
}
