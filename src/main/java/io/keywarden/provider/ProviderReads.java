package io.keywarden.provider;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where providers and their credential Secrets are read. Every reconcile of every AccessKey needs
 * both, so the operator serves them from informers started on first use: one over the providers
 * of the watched namespaces, one over the cluster providers, and one per credential Secret (watched
 * by name, so that no other Secret is cached). A name the cache does not hold is asked of the API
 * server, so that a provider or Secret created a moment ago is not reported missing; a Secret the
 * operator may only get, not watch, is read per reconcile.
 */
public final class ProviderReads implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProviderReads.class);

  private final KubernetesClient client;
  private final boolean informed;
  private final Set<String> watchedNamespaces;
  /** Keyed by namespace ("" for all namespaces and for cluster providers) or by "namespace/name" of a Secret. */
  private final Map<String, SharedIndexInformer<? extends HasMetadata>> informers = new ConcurrentHashMap<>();
  /** Credential Secrets that could not be watched: read per reconcile. */
  private final Set<String> unwatchable = ConcurrentHashMap.newKeySet();

  private ProviderReads(KubernetesClient client, boolean informed, Set<String> watchedNamespaces) {
    this.client = client;
    this.informed = informed;
    this.watchedNamespaces = watchedNamespaces;
  }

  /** Reads from informer caches; {@code watchedNamespaces} empty means all namespaces. */
  public static ProviderReads informed(KubernetesClient client, Set<String> watchedNamespaces) {
    return new ProviderReads(client, true, watchedNamespaces);
  }

  /** Asks the API server every time (reconcilers run outside the operator in tests). */
  public static ProviderReads direct(KubernetesClient client) {
    return new ProviderReads(client, false, Set.of());
  }

  public AccessKeyProvider provider(String namespace, String name) {
    Supplier<AccessKeyProvider> get = () -> client.resources(AccessKeyProvider.class).inNamespace(namespace).withName(name).get();
    if (!informed) {
      return get.get();
    }
    String scope = watchedNamespaces.isEmpty() ? "" : namespace;
    var informer = informers.computeIfAbsent("providers:" + scope, k -> scope.isEmpty()
        ? client.resources(AccessKeyProvider.class).inAnyNamespace().inform()
        : client.resources(AccessKeyProvider.class).inNamespace(scope).inform());
    return cachedOr(informer, Cache.namespaceKeyFunc(namespace, name), AccessKeyProvider.class, get);
  }

  public ClusterAccessKeyProvider clusterProvider(String name) {
    Supplier<ClusterAccessKeyProvider> get = () -> client.resources(ClusterAccessKeyProvider.class).withName(name).get();
    if (!informed) {
      return get.get();
    }
    var informer = informers.computeIfAbsent("clusterproviders:", k -> client.resources(ClusterAccessKeyProvider.class).inform());
    return cachedOr(informer, name, ClusterAccessKeyProvider.class, get);
  }

  public Secret secret(String namespace, String name) {
    Supplier<Secret> get = () -> client.secrets().inNamespace(namespace).withName(name).get();
    String key = Cache.namespaceKeyFunc(namespace, name);
    if (!informed || unwatchable.contains(key)) {
      return get.get();
    }
    SharedIndexInformer<? extends HasMetadata> informer;
    try {
      informer = informers.computeIfAbsent("secret:" + key, k -> client.secrets().inNamespace(namespace).withName(name).inform());
    } catch (KubernetesClientException e) {
      // expected where the chart grants only get (cluster providers' credentials with watchNamespaces)
      log.info("Secret {} cannot be watched (HTTP {}): it is read on every reconcile instead", key, e.getCode());
      unwatchable.add(key);
      return get.get();
    }
    return cachedOr(informer, key, Secret.class, get);
  }

  private static <T extends HasMetadata> T cachedOr(
      SharedIndexInformer<? extends HasMetadata> informer, String key, Class<T> type, Supplier<T> get) {
    HasMetadata cached = informer.getStore().getByKey(key);
    return cached != null ? type.cast(cached) : get.get();
  }

  @Override
  public void close() {
    informers.values().forEach(SharedIndexInformer::close);
    informers.clear();
  }
}
