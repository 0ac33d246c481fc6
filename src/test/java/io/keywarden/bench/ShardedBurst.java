package io.keywarden.bench;

import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.testsupport.Fixtures;
import java.util.List;
import java.util.Map;

/**
 * The burst of the moto phase again, with its AccessKeys labelled alternately for two shard
 * instances ({@code KEYWARDEN_SHARD=a} and {@code b}, each with its own heap, reconcile threads and
 * call budget, and the per-(provider, user) Leases a sharded install takes), so the two runs show
 * where the bottleneck moves when one instance becomes two.
 */
final class ShardedBurst {
  static final List<String> SHARDS = List.of("a", "b");

  private ShardedBurst() {}

  /** The i-th AccessKey of the burst, labelled for shard {@code SHARDS[i % 2]}. */
  static AccessKey key(String namespace, int i, String user) {
    AccessKey key = Fixtures.accessKey(namespace, "key-" + i, "aws", user);
    key.getMetadata().setLabels(Map.of(AccessKey.SHARD_LABEL, SHARDS.get(i % SHARDS.size())));
    return key;
  }
}
