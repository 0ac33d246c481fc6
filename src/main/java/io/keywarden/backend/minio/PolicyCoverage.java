package io.keywarden.backend.minio;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a key's own policy allows that its user's policy does not: MinIO gives a key only what both
 * allow, so these are what spec.policy promises and the key cannot do.
 *
 * <p>A pure comparison of two policy documents, statement by statement, not an evaluator. It only
 * ever errs towards naming too much: a user statement counts only when it allows unconditionally
 * (no {@code Condition}, no {@code NotAction}/{@code NotResource}), a user {@code Deny} that may
 * touch an action counts against it, and a key statement with {@code NotAction} or {@code
 * NotResource} is named whole. Patterns are MinIO's ({@code *} any run, {@code ?} one character);
 * {@code ${aws:username}} in the user's resources is the user.
 */
final class PolicyCoverage {
  private PolicyCoverage() {}

  /** One statement's patterns; {@code resources} null: any resource (admin statements have none). */
  private record Patterns(List<String> actions, List<String> resources) {}

  /**
   * @return "action on resource" (or the action alone without a resource) for each thing {@code
   *     keyPolicy} allows that {@code userPolicy} does not, in the key policy's order
   */
  static List<String> beyond(JsonNode keyPolicy, JsonNode userPolicy, String user) {
    List<Patterns> allowed = new ArrayList<>();
    List<Patterns> denied = new ArrayList<>();
    for (JsonNode s : statements(userPolicy)) {
      List<String> resources = resources(s) == null ? null : substitute(resources(s), user);
      if (isDeny(s)) {
        // a NotAction/NotResource deny may touch anything: count it against everything
        denied.add(new Patterns(s.has("Action") ? strings(s.get("Action")) : List.of("*"),
            s.has("NotResource") ? null : resources));
      } else if (s.has("Action") && !s.has("NotResource") && !hasCondition(s)) {
        allowed.add(new Patterns(strings(s.get("Action")), resources));
      }
    }
    List<String> beyond = new ArrayList<>();
    int index = 0;
    for (JsonNode s : statements(keyPolicy)) {
      index++;
      if (isDeny(s)) {
        continue; // only narrows
      }
      if (s.has("NotAction") || s.has("NotResource")) {
        beyond.add("statement " + (s.hasNonNull("Sid") ? s.get("Sid").asText() : "#" + index)
            + " (NotAction/NotResource, not compared)");
        continue;
      }
      List<String> resources = resources(s) == null ? Collections.singletonList(null) : resources(s);
      for (String action : strings(s.get("Action"))) {
        for (String resource : resources) {
          if (!covered(allowed, action, resource) || touched(denied, action, resource)) {
            beyond.add(resource == null ? action : action + " on " + resource);
          }
        }
      }
    }
    return beyond;
  }

  private static boolean covered(List<Patterns> allowed, String action, String resource) {
    for (Patterns p : allowed) {
      if (p.actions().stream().anyMatch(a -> contains(a, action))
          && (p.resources() == null || resource == null || p.resources().stream().anyMatch(r -> contains(r, resource)))) {
        return true;
      }
    }
    return false;
  }

  private static boolean touched(List<Patterns> denied, String action, String resource) {
    for (Patterns p : denied) {
      if (p.actions().stream().anyMatch(a -> overlap(a, action))
          && (p.resources() == null || resource == null || p.resources().stream().anyMatch(r -> overlap(r, resource)))) {
        return true;
      }
    }
    return false;
  }

  /** Whether every name {@code inner} matches is matched by {@code outer}. */
  static boolean contains(String outer, String inner) {
    return contains(outer, 0, inner, 0, new HashMap<>());
  }

  private static boolean contains(String p, int i, String a, int j, Map<Long, Boolean> memo) {
    long at = ((long) i << 32) | j;
    Boolean known = memo.get(at);
    if (known != null) {
      return known;
    }
    boolean result;
    if (i == p.length()) {
      result = j == a.length();
    } else if (p.charAt(i) == '*') {
      // the outer * matches nothing more, or takes one more symbol of inner, a wildcard included
      result = contains(p, i + 1, a, j, memo) || (j < a.length() && contains(p, i, a, j + 1, memo));
    } else if (j == a.length() || a.charAt(j) == '*') {
      result = false; // only an outer * matches every run an inner * stands for
    } else if (p.charAt(i) == '?') {
      result = contains(p, i + 1, a, j + 1, memo);
    } else {
      result = a.charAt(j) == p.charAt(i) && contains(p, i + 1, a, j + 1, memo);
    }
    memo.put(at, result);
    return result;
  }

  /** Whether some name matches both patterns. */
  static boolean overlap(String x, String y) {
    return overlap(x, 0, y, 0, new HashMap<>());
  }

  private static boolean overlap(String x, int i, String y, int j, Map<Long, Boolean> memo) {
    long at = ((long) i << 32) | j;
    Boolean known = memo.get(at);
    if (known != null) {
      return known;
    }
    boolean result;
    if (i < x.length() && x.charAt(i) == '*') {
      result = overlap(x, i + 1, y, j, memo) || (j < y.length() && overlap(x, i, y, j + 1, memo));
    } else if (j < y.length() && y.charAt(j) == '*') {
      result = overlap(x, i, y, j + 1, memo) || (i < x.length() && overlap(x, i + 1, y, j, memo));
    } else if (i == x.length() || j == y.length()) {
      result = i == x.length() && j == y.length();
    } else {
      char c = x.charAt(i);
      char d = y.charAt(j);
      result = (c == '?' || d == '?' || c == d) && overlap(x, i + 1, y, j + 1, memo);
    }
    memo.put(at, result);
    return result;
  }

  private static List<JsonNode> statements(JsonNode policy) {
    JsonNode statement = policy == null ? null : policy.get("Statement");
    List<JsonNode> all = new ArrayList<>();
    if (statement != null && statement.isArray()) {
      statement.forEach(all::add);
    } else if (statement != null && statement.isObject()) {
      all.add(statement);
    }
    return all;
  }

  private static boolean isDeny(JsonNode statement) {
    return "Deny".equals(statement.path("Effect").asText());
  }

  private static boolean hasCondition(JsonNode statement) {
    JsonNode condition = statement.get("Condition");
    return condition != null && !condition.isNull() && condition.size() > 0;
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (node.isArray()) {
      node.forEach(n -> values.add(n.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }

  /** A statement's resources, null for none (MinIO writes admin statements with an empty list). */
  private static List<String> resources(JsonNode statement) {
    List<String> resources = strings(statement.get("Resource"));
    return resources.isEmpty() ? null : resources;
  }

  private static List<String> substitute(List<String> resources, String user) {
    return resources.stream().map(r -> r.replace("${aws:username}", user)).toList();
  }
}
