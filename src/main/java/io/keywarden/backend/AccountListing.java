package io.keywarden.backend;

import java.util.List;
import java.util.Map;

/**
 * A backend that lists the keys of many users in one call (MinIO's {@code list-access-keys-bulk}
 * with {@code all=true}). A drift check then costs one call per provider and interval instead of
 * one per user. IAM and Outscale list per user only ({@code ListAccessKeys}, {@code ReadAccessKeys}
 * with {@code UserName}) and do not implement it.
 */
public interface AccountListing {
  /**
   * Every key of every user the listing covers, by the user's name as {@link KeyInfo#user()} gives
   * it (the caller's own name for its own keys). A user missing from the map is not covered (a
   * backend may leave out users without keys, or users of an external identity provider): ask
   * for that user's keys with {@link KeyBackend#list}. A key whose {@link KeyInfo#status()} is
   * null was listed without it (MinIO's bulk listing): the listing confirms that it exists and when
   * it expires, not whether it is enabled.
   */
  Map<String, List<KeyInfo>> listAccount();
}
