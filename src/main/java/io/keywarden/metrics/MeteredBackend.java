package io.keywarden.metrics;

import io.keywarden.backend.BackendCalls;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.KeyBackend;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Counts every backend call by provider, operation and outcome ({@code success} or the
 * {@link BackendException.Reason}), which is what shows throttling or an outage per provider.
 * What a call is, is {@link BackendCalls}' rule, the one the call budget counts by.
 *
 * <p>The metered backend is a proxy that implements every interface the backend implements, so it
 * keeps each capability the backend has (and only those) without listing them: a new capability
 * interface is metered the day a backend implements it.
 */
final class MeteredBackend implements InvocationHandler {
  private final KeyBackend delegate;
  private final String provider;
  private final MeterRegistry registry;

  private MeteredBackend(KeyBackend delegate, String provider, MeterRegistry registry) {
    this.delegate = delegate;
    this.provider = provider;
    this.registry = registry;
  }

  static KeyBackend wrap(KeyBackend delegate, String provider, MeterRegistry registry) {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    for (Class<?> type = delegate.getClass(); type != null; type = type.getSuperclass()) {
      for (Class<?> capability : type.getInterfaces()) {
        if (Modifier.isPublic(capability.getModifiers())) {
          interfaces.add(capability);
        }
      }
    }
    return (KeyBackend) Proxy.newProxyInstance(MeteredBackend.class.getClassLoader(),
        interfaces.toArray(Class<?>[]::new), new MeteredBackend(delegate, provider, registry));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (!BackendCalls.isBackendCall(method)) {
      try {
        return method.invoke(delegate, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
    String operation = method.getName();
    try {
      Object result = method.invoke(delegate, args);
      count(operation, "success");
      return result;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof BackendException b) {
        count(operation, b.reason().name());
      } else if (cause instanceof RuntimeException) {
        count(operation, "ERROR");
      }
      throw cause;
    }
  }

  private void count(String operation, String outcome) {
    Counter.builder("keywarden_backend_calls_total")
        .description("Calls to key backends")
        .tags("provider", provider, "operation", operation, "outcome", outcome)
        .register(registry)
        .increment();
  }
}
