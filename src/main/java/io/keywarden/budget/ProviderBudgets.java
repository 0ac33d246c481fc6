package io.keywarden.budget;

import io.keywarden.backend.AnsweredLocally;
import io.keywarden.backend.BackendCalls;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.KeyBackend;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link CallBudget} per provider, of its backend kind's {@link BudgetLimit}. Reconciles ask
 * {@link #admit} before calling; the backend, {@link #wrap wrapped}, spends one call per method
 * call and reports throttling answers, so the budget counts every call however it is made. What
 * the client answers by itself ({@link AnsweredLocally}) is no call: spent, a check made before
 * every reconcile's admission would use up the call that admission waits for.
 */
public final class ProviderBudgets {
  private final Map<String, BudgetLimit> limits;
  private final Clock clock;
  private final ConcurrentMap<String, CallBudget> budgets = new ConcurrentHashMap<>();

  public ProviderBudgets(Map<String, BudgetLimit> limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
  }

  /** The provider's budget; {@code backend} is the kind (aws, minio, outscale) whose limit applies. */
  public CallBudget budget(String providerId, String backend) {
    return budgets.computeIfAbsent(providerId, id -> {
      BudgetLimit limit = limits.get(backend);
      if (limit == null) {
        throw new IllegalArgumentException("no call budget for backend " + backend);
      }
      return new CallBudget(limit);
    });
  }

  /** @throws OverBudget with the caller's turn when the provider's budget is spent */
  public void admit(String providerId, String backend) {
    CallBudget.Admission admission = budget(providerId, backend).admit(clock.instant());
    if (!admission.granted()) {
      throw new OverBudget(providerId, admission.retryAfter());
    }
  }

  /** The backend with every call counted against the provider's budget; keeps every capability interface. */
  public KeyBackend wrap(String providerId, String backend, KeyBackend delegate) {
    CallBudget budget = budget(providerId, backend);
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    for (Class<?> type = delegate.getClass(); type != null; type = type.getSuperclass()) {
      for (Class<?> capability : type.getInterfaces()) {
        if (Modifier.isPublic(capability.getModifiers())) {
          interfaces.add(capability);
        }
      }
    }
    InvocationHandler spending = (proxy, method, args) -> call(budget, delegate, method, args);
    return (KeyBackend) Proxy.newProxyInstance(ProviderBudgets.class.getClassLoader(),
        interfaces.toArray(Class<?>[]::new), spending);
  }

  private Object call(CallBudget budget, KeyBackend delegate, Method method, Object[] args) throws Throwable {
    if (BackendCalls.isBackendCall(method)) {
      budget.spent(clock.instant());
    }
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof BackendException b && b.reason() == BackendException.Reason.THROTTLED) {
        budget.throttled(clock.instant());
      }
      throw e.getCause();
    }
  }
}
