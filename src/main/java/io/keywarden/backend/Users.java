package io.keywarden.backend;

/** How backend messages name the user a call is for. */
public final class Users {
  private Users() {}

  /**
   * @param noun what the backend calls its users, e.g. "user" or "EIM user"
   * @param user the user, or null for the caller's own identity
   */
  public static String forUser(String noun, String user) {
    return user == null ? "for the caller's own identity" : "for " + noun + " " + user;
  }
}
