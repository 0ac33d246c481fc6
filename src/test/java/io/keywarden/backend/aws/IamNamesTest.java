package io.keywarden.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class IamNamesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Bob", // the aws iam create-access-key example
        "b",
        "User_Name", // the Outscale EIM example
        "jane.doe@example.com",
        "svc+ci=prod,eu-1",
        "a_b-c.d@e+f=g,h",
        "0123456789",
        // exactly 64 characters
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
      })
  void acceptsValidUserNames(String name) {
    assertThat(IamNames.validateUserName(name)).isEmpty();
  }

  static Stream<Arguments> invalidUserNames() {
    return Stream.of(
        Arguments.of(null, "must not be empty"),
        Arguments.of("", "must not be empty"),
        Arguments.of("x".repeat(65), "is 65 characters long"),
        Arguments.of("bob smith", "contains a space at position 4"),
        Arguments.of("path/Bob", "contains '/' at position 5"),
        Arguments.of("arn:aws:iam::123456789012:user/Bob", "contains ':' at position 4"),
        Arguments.of("jos\u00e9", "contains '\u00e9' at position 4"),
        Arguments.of("tab\there", "contains the character U+0009 at position 4"),
        Arguments.of("bob!", "contains '!' at position 4"),
        Arguments.of("bob*", "contains '*' at position 4"),
        Arguments.of("\uD83D\uDD11key", "contains '\uD83D\uDD11' at position 1"));
  }

  @ParameterizedTest
  @MethodSource("invalidUserNames")
  void explainsInvalidUserNames(String name, String expected) {
    assertThat(IamNames.validateUserName(name)).hasValueSatisfying(m -> assertThat(m).contains(expected));
  }

  static Stream<Arguments> returnedUserNames() {
    return Stream.of(
        Arguments.of("Bob", "Bob"),
        Arguments.of("orn:ows:idauth::123456789012:user/User_Name", "User_Name"),
        Arguments.of("arn:aws:iam::123456789012:user/division/team/Bob", "Bob"),
        Arguments.of(null, null),
        Arguments.of("", null));
  }

  @ParameterizedTest
  @MethodSource("returnedUserNames")
  void reducesReturnedUserNamesToThePlainName(String returned, String expected) {
    assertThat(IamNames.plainUserName(returned)).isEqualTo(expected);
  }
}
