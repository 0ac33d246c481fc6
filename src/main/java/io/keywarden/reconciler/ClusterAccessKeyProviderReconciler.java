package io.keywarden.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import io.keywarden.provider.BackendCache;
import io.keywarden.provider.ProviderResolver;
import java.time.Clock;

@ControllerConfiguration(name = "clusteraccesskeyprovider")
public class ClusterAccessKeyProviderReconciler extends ProviderReconciler<ClusterAccessKeyProvider> {
  public ClusterAccessKeyProviderReconciler(KubernetesClient client, ProviderResolver resolver, BackendCache backends, Clock clock) {
    super(client, backends, resolver::resolve, clock);
  }
}
