package io.keywarden.shard;

import io.keywarden.api.v1alpha1.AccessKey;
import java.util.regex.Pattern;

/**
 * Which AccessKeys an operator instance serves: a named shard those labelled
 * {@code keywarden.io/shard=<name>}, the default instance those without the label. Providers are
 * read by every instance.
 *
 * @param name null for the default instance
 */
public record Shard(String name) {
  public static final Shard DEFAULT = new Shard(null);
  /**
   * A label value that is also a DNS label short enough to name Leases and the chart's Deployments
   * ({@code <release>-shard-<name>}): lowercase letters, digits and '-', at most 40 characters.
   */
  private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

  public Shard {
    if (name != null && !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("KEYWARDEN_SHARD: \"" + name + "\" is not a shard name"
          + " (at most 40 characters: lowercase letters, digits and '-', starting and ending with a letter or digit)");
    }
  }

  /** From KEYWARDEN_SHARD: empty or unset is the default instance. */
  public static Shard named(String name) {
    return name == null || name.isBlank() ? DEFAULT : new Shard(name.trim());
  }

  public boolean isDefault() {
    return name == null;
  }

  /** The label selector of this instance's AccessKeys, and (with keywarden's own label) of their Secrets. */
  public String selector() {
    return isDefault() ? "!" + AccessKey.SHARD_LABEL : AccessKey.SHARD_LABEL + "=" + name;
  }

  /** The leader election Lease: one per shard, so each shard elects its own leader. */
  public String leaderLease() {
    return isDefault() ? "keywarden-leader" : "keywarden-leader-" + name;
  }
}
