package io.keywarden.backend.aws;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IAM user names: the pattern IAM enforces, and the reduction of the names IAM-compatible APIs
 * return (Outscale EIM may answer {@code orn:ows:idauth::123456789012:user/Jane} where AWS answers
 * {@code Jane}).
 */
public final class IamNames {

  /** IAM's documented pattern for {@code UserName}: {@code [\w+=,.@-]+}, ASCII word characters. */
  private static final Pattern USER_NAME = Pattern.compile("[\\w+=,.@-]+");

  public static final int MAX_USER_NAME_LENGTH = 64;

  private IamNames() {}

  /**
   * Checks a user name against IAM's rules (1 to 64 characters from {@code [A-Za-z0-9_+=,.@-]}).
   * AWS rejects anything else with a ValidationError; moto accepts anything, so keywarden checks
   * first and behaves the same on both.
   *
   * @return a message saying what is wrong (without the field name: the caller adds it), or empty
   *     when the name is valid
   */
  public static Optional<String> validateUserName(String name) {
    if (name == null || name.isEmpty()) {
      return Optional.of("must not be empty: an IAM user name has 1 to 64 characters");
    }
    if (name.length() > MAX_USER_NAME_LENGTH) {
      return Optional.of(
          "is " + name.length() + " characters long: an IAM user name has at most "
              + MAX_USER_NAME_LENGTH);
    }
    if (!USER_NAME.matcher(name).matches()) {
      int bad = firstInvalid(name);
      return Optional.of(
          "contains " + describe(name.codePointAt(bad)) + " at position " + (bad + 1)
              + ": an IAM user name may contain only letters, digits and _+=,.@-");
    }
    return Optional.empty();
  }

  /**
   * The plain user name in what an IAM-compatible API returned as {@code UserName}: an ARN or
   * Outscale ORN ({@code …:user/path/Jane}) becomes {@code Jane}, anything else is returned as is.
   */
  public static String plainUserName(String returned) {
    if (returned == null || returned.isEmpty()) {
      return null;
    }
    int user = returned.indexOf(":user/");
    if (user < 0) {
      return returned;
    }
    return returned.substring(returned.lastIndexOf('/') + 1);
  }

  private static int firstInvalid(String name) {
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (!USER_NAME.matcher(new String(Character.toChars(cp))).matches()) {
        return i;
      }
      i += Character.charCount(cp);
    }
    return 0;
  }

  private static String describe(int codePoint) {
    if (codePoint == ' ') {
      return "a space";
    }
    if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)) {
      return String.format("the character U+%04X", codePoint);
    }
    return "'" + new String(Character.toChars(codePoint)) + "'";
  }
}
