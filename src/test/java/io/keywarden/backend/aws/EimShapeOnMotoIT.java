package io.keywarden.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.Identity;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.aws.AwsBackendConfig.IdentityApi;
import io.keywarden.testsupport.AwsCli;
import io.keywarden.testsupport.MotoServer;
import io.keywarden.testsupport.MotoServer.Credentials;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link AwsIamBackend} in the shape keywarden uses for Outscale EIM, against moto (not Outscale):
 * EIM through its IAM-compatible API (reference page 004: {@code aws iam
 * create-access-key --user-name USER_NAME --endpoint https://eim.eu-west-2.outscale.com}). EIM has
 * no STS, so keywarden runs {@link AwsIamBackend} in the shape {@link AwsBackendConfig} documents
 * for it: {@code withIamEndpoint(eim)} and {@link IdentityApi#IAM}. moto stands in for EIM, with
 * authentication on, and the AWS CLI runs the page's command side by side ({@link AwsCli} passes
 * the endpoint as {@code --endpoint-url}, of which the page's {@code --endpoint} is the
 * abbreviation, and the credentials by environment instead of {@code --profile}).
 */
@Tag("it")
class EimShapeOnMotoIT {

  private static final String USER = "User_Name"; // the page's result sample

  private static MotoServer moto;
  private static AwsCli aws;
  private static AwsIamBackend eim;

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    Credentials admin = moto.adminCredentials();
    moto.createUser(USER);
    moto.enableAuthentication();
    aws = new AwsCli(moto, admin);
    eim =
        AwsIamBackend.create(
            AwsBackendConfig.of("eu-west-2", admin.provider())
                .withIamEndpoint(moto.endpoint())
                .withIdentityApi(IdentityApi.IAM));
  }

  @AfterAll
  static void stop() {
    if (eim != null) {
      eim.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }

  @Test
  void thePagesCommandAndKeywardenManageTheSameUsersKeys() {
    // aws iam create-access-key --user-name USER_NAME --endpoint <eim>
    JsonNode cliKey = aws.json("iam", "create-access-key", "--user-name", USER).path("AccessKey");
    assertThat(fieldNames(cliKey)).containsExactly("AccessKeyId", "CreateDate", "SecretAccessKey", "Status", "UserName");
    assertThat(cliKey.path("Status").asText()).isEqualTo("Active");
    String cliKeyId = cliKey.path("AccessKeyId").asText();

    // keywarden, without STS: the identity comes from IAM GetUser
    Identity identity = eim.whoAmI();
    assertThat(identity.userName()).isEqualTo(MotoServer.ADMIN_USER);
    assertThat(identity.ownsKeys()).isTrue();

    IssuedKey kwKey = eim.create(new CreateKeyRequest(USER, "nonce-eim", null, null));
    eim.verify(kwKey); // GetUser signed with the new key: AccessDenied still proves it authenticated
    assertThat(eim.list(USER)).extracting(KeyInfo::accessKeyId).containsExactly(cliKeyId, kwKey.accessKeyId());

    // each side sees the other's changes
    eim.setStatus(USER, cliKeyId, KeyStatus.INACTIVE);
    List<String> statuses = new ArrayList<>();
    aws.json("iam", "list-access-keys", "--user-name", USER).path("AccessKeyMetadata")
        .forEach(k -> statuses.add(k.path("AccessKeyId").asText() + "=" + k.path("Status").asText()));
    assertThat(statuses).containsExactly(cliKeyId + "=Inactive", kwKey.accessKeyId() + "=Active");

    aws.json("iam", "delete-access-key", "--user-name", USER, "--access-key-id", kwKey.accessKeyId());
    eim.delete(USER, cliKeyId);
    assertThat(eim.list(USER)).isEmpty();
    assertThat(aws.json("iam", "list-access-keys", "--user-name", USER).path("AccessKeyMetadata")).isEmpty();
  }
}
