package io.keywarden.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.provider.BackendCache;
import io.keywarden.provider.ProviderResolver;
import java.time.Clock;

@ControllerConfiguration(name = "accesskeyprovider")
public class AccessKeyProviderReconciler extends ProviderReconciler<AccessKeyProvider> {
  public AccessKeyProviderReconciler(KubernetesClient client, ProviderResolver resolver, BackendCache backends, Clock clock) {
    super(client, backends, resolver::resolve, clock);
  }
}
