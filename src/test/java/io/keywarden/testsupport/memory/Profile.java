package io.keywarden.testsupport.memory;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.keywarden.StandardBackends;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.OutscaleCredentials;
import io.keywarden.api.v1alpha1.OutscaleProvider;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.backend.BackendKind;
import io.keywarden.backend.BackendRegistry;
import io.keywarden.provider.BackendFactory;
import io.keywarden.secret.CredentialEntries;
import io.keywarden.testsupport.Fixtures;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The capability sets the fast controller tests run every lifecycle path for: each shipped
 * backend's, in memory, behind its real backend kind (spec block, accepted fields, Secret
 * entries), and a fourth kind that only the tests register.
 */
public enum Profile {
  AWS_LIKE(AwsLikeBackend::new),
  MINIO_LIKE(MinioLikeBackend::new),
  OUTSCALE_LIKE(OutscaleLikeBackend::new),
  /** {@link MemoryKind}, reached through the registry and its own connect. */
  FOURTH_KIND(OutscaleLikeBackend::new);

  private static final String ENDPOINT = "http://127.0.0.1:1";
  private final Function<Clock, MemoryBackend> backends;

  Profile(Function<Clock, MemoryBackend> backends) {
    this.backends = backends;
  }

  public MemoryBackend backend(Clock clock) {
    return backends.apply(clock);
  }

  /** The backend kinds the operator runs with. */
  public BackendRegistry registry(MemoryBackend backend) {
    List<BackendKind> kinds = new ArrayList<>();
    if (this == FOURTH_KIND) {
      kinds.add(new MemoryKind(backend));
    }
    kinds.addAll(StandardBackends.kinds());
    return new BackendRegistry(kinds);
  }

  /** Shipped kinds get the in-memory backend instead of their client; the fourth kind connects itself. */
  public BackendFactory factory(MemoryBackend backend) {
    return this == FOURTH_KIND ? BackendFactory.CONNECT : provider -> backend;
  }

  public AccessKeyProvider provider(String namespace, String name, String credentialsSecret) {
    return switch (this) {
      case AWS_LIKE -> Fixtures.awsProvider(namespace, name, ENDPOINT, credentialsSecret);
      case MINIO_LIKE -> Fixtures.minioProvider(namespace, name, ENDPOINT, credentialsSecret);
      case OUTSCALE_LIKE -> outscaleProvider(namespace, name, credentialsSecret);
      case FOURTH_KIND -> Fixtures.awsProvider(namespace, name, MemoryKind.SCHEME + "//keys", credentialsSecret);
    };
  }

  /** Provider credentials under the names every shipped kind reads. */
  public static Secret credentials(String namespace, String name) {
    return new SecretBuilder()
        .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
        .withData(Map.of(
            CredentialEntries.ACCESS_KEY_ID, Fixtures.base64("AKIDADMIN"),
            CredentialEntries.SECRET_ACCESS_KEY, Fixtures.base64("admin-secret"),
            CredentialEntries.OSC_ACCESS_KEY, Fixtures.base64("AKIDADMIN"),
            CredentialEntries.OSC_SECRET_KEY, Fixtures.base64("admin-secret")))
        .build();
  }

  private static AccessKeyProvider outscaleProvider(String namespace, String name, String credentialsSecret) {
    AccessKeyProvider provider = new AccessKeyProvider();
    provider.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
    ProviderSpec spec = new ProviderSpec();
    spec.outscale = new OutscaleProvider();
    spec.outscale.region = "eu-west-2";
    spec.outscale.endpoint = ENDPOINT;
    spec.outscale.credentials = new OutscaleCredentials();
    spec.outscale.credentials.secretRef = new SecretRef(credentialsSecret);
    provider.setSpec(spec);
    return provider;
  }
}
