package io.keywarden.backend;

import java.lang.reflect.Method;
import java.util.Set;

/**
 * Which {@link KeyBackend} methods are calls to the backend: the one rule the call budget and the
 * call metrics both count by, so the two cannot disagree. Not calls: the object's own methods and
 * {@code close}, and what the client answers by itself ({@link AnsweredLocally}).
 */
public final class BackendCalls {
  private static final Set<String> NOT_CALLS = Set.of("close", "toString", "hashCode", "equals");

  private BackendCalls() {}

  public static boolean isBackendCall(Method method) {
    return !NOT_CALLS.contains(method.getName()) && !method.isAnnotationPresent(AnsweredLocally.class);
  }
}
