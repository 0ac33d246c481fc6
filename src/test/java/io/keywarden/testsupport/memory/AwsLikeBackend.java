package io.keywarden.testsupport.memory;

import java.time.Clock;

/** AWS IAM's capability set: server-generated keys, no native expiry, no tags, no settings. */
public final class AwsLikeBackend extends MemoryBackend {
  public AwsLikeBackend(Clock clock) {
    super(clock, "AKIAMEM");
  }
}
