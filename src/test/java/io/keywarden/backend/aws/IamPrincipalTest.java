package io.keywarden.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.backend.aws.IamPrincipal.Kind;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IamPrincipalTest {

  static Stream<Arguments> arns() {
    return Stream.of(
        // arn, kind, account, name, userName (what keys default to)
        Arguments.of("arn:aws:iam::123456789012:user/Bob", Kind.USER, "123456789012", "Bob", "Bob"),
        Arguments.of("arn:aws:iam::123:user/path/Bob", Kind.USER, "123", "Bob", "Bob"),
        Arguments.of("arn:aws:iam::123:user/division_abc/subdivision_xyz/Jane", Kind.USER, "123", "Jane", "Jane"),
        Arguments.of("arn:aws-cn:iam::123456789012:user/Bob", Kind.USER, "123456789012", "Bob", "Bob"),
        Arguments.of("arn:aws-us-gov:iam::123456789012:user/Bob", Kind.USER, "123456789012", "Bob", "Bob"),
        Arguments.of("orn:ows:idauth::123456789012:user/User_Name", Kind.USER, "123456789012", "User_Name", "User_Name"),
        Arguments.of("arn:aws:iam::123:root", Kind.ROOT, "123", null, null),
        Arguments.of("arn:aws:iam::123456789012:root", Kind.ROOT, "123456789012", null, null),
        Arguments.of("arn:aws:sts::123:assumed-role/keywarden-irsa/botocore-session-1", Kind.ASSUMED_ROLE, "123", "keywarden-irsa", null),
        Arguments.of("arn:aws:sts::123:assumed-role/path-less/i-0abc", Kind.ASSUMED_ROLE, "123", "path-less", null),
        Arguments.of("arn:aws:sts::123:federated-user/Alice", Kind.FEDERATED_USER, "123", "Alice", null),
        // moto's answer for credentials it does not know (authentication off)
        Arguments.of("arn:aws:sts::123456789012:user/moto", Kind.OTHER, "123456789012", null, null),
        Arguments.of("arn:aws:iam::123:role/Admin", Kind.OTHER, "123", null, null),
        Arguments.of("arn:aws:iam::123:user/", Kind.OTHER, "123", null, null),
        Arguments.of("not an arn", Kind.OTHER, "", null, null),
        Arguments.of("arn:aws:iam::123", Kind.OTHER, "", null, null),
        Arguments.of(null, Kind.OTHER, "", null, null));
  }

  @ParameterizedTest
  @MethodSource("arns")
  void parses(String arn, Kind kind, String account, String name, String userName) {
    IamPrincipal p = IamPrincipal.parse(arn);
    assertThat(p.arn()).isEqualTo(arn);
    assertThat(p.kind()).isEqualTo(kind);
    assertThat(p.account()).isEqualTo(account);
    assertThat(p.name()).isEqualTo(name);
    assertThat(p.userName()).isEqualTo(userName);
  }
}
