package io.keywarden.tenancy;

import io.keywarden.api.SpecProblem;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.ClusterProviderSpec;
import io.keywarden.provider.ResolvedProvider;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which users a provider's AccessKeys may hold keys for ({@code spec.allowedUsers}), as a pure
 * decision.
 *
 * <p>An entry is a user name or a glob ({@code *} any run of characters, {@code ?} one), matched
 * case-sensitively against the whole of {@code spec.user}, with {@code ${namespace}} replaced by the
 * AccessKey's namespace. The entry {@value #IDENTITY} on its own allows AccessKeys without {@code
 * spec.user}, which hold keys of the provider's own identity; no pattern matches that case, since
 * the provider's identity is usually the most powerful user its credentials know.
 *
 * <p>Without the field a namespaced provider serves every user (the AccessKeys live next to it, in
 * the namespace whose owners wrote it), and a cluster provider serves none: it is shared by several
 * teams, and a forgotten list must not hand every team every user's keys.
 */
public final class AllowedUsers {
  /** The entry that allows AccessKeys without {@code spec.user}. */
  public static final String IDENTITY = "${identity}";

  public static final String NAMESPACE = "${namespace}";

  private AllowedUsers() {}

  /**
   * Refuses an AccessKey whose user its provider does not allow, before any backend call. A key it
   * already holds is left as it is (the message says so): narrowing a list must not break running
   * workloads, and deleting the AccessKey still deletes the key.
   */
  public static void enforce(ResolvedProvider provider, AccessKey accessKey) {
    String user = accessKey.getSpec().user;
    String why = refusal(provider.spec().allowedUsers, provider.spec() instanceof ClusterProviderSpec,
        accessKey.getMetadata().getNamespace(), user);
    if (why == null) {
      return;
    }
    String held = accessKey.getStatus() == null ? null : accessKey.getStatus().accessKeyId;
    throw new SpecProblem("UserNotAllowed", "spec.user: "
        + (user == null ? "not set (a key of the provider's own identity)" : user)
        + " is not allowed by " + provider.id() + ": " + why
        + (held == null ? "; nothing was created"
            : "; access key " + held + " is kept as it is, neither rotated, repaired, expired nor deleted by"
                + " keywarden, until the provider allows this user again or the AccessKey is deleted"));
  }

  /**
   * @param allowedUsers the provider's list, or null when it sets none
   * @param clusterProvider whether the provider is a ClusterAccessKeyProvider
   * @param user the AccessKey's {@code spec.user}, or null for the provider's own identity
   * @return null when allowed, else why not (without naming the provider or the user)
   */
  public static String refusal(List<String> allowedUsers, boolean clusterProvider, String namespace, String user) {
    if (allowedUsers == null) {
      return clusterProvider ? "a cluster provider without spec.allowedUsers serves no user" : null;
    }
    if (user == null) {
      return allowedUsers.contains(IDENTITY) ? null
          : "spec.allowedUsers does not contain " + IDENTITY + ", which allows keys of the provider's own identity";
    }
    for (String entry : allowedUsers) {
      if (!entry.equals(IDENTITY) && matches(entry.replace(NAMESPACE, namespace), user)) {
        return null;
      }
    }
    return "no entry of spec.allowedUsers " + allowedUsers + " matches it in namespace " + namespace;
  }

  static boolean matches(String glob, String name) {
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        regex.append(Pattern.quote(literal.toString())).append(c == '*' ? ".*" : ".");
        literal.setLength(0);
      } else {
        literal.append(c);
      }
    }
    regex.append(Pattern.quote(literal.toString()));
    return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(name).matches();
  }
}
