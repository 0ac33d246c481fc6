package io.keywarden.backend.aws;

import io.keywarden.testsupport.BackendKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.testsupport.AwsCli;
import io.keywarden.testsupport.MotoServer;
import io.keywarden.testsupport.MotoServer.Credentials;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * keywarden and the real AWS CLI ({@code aws iam create-access-key}, the command keywarden
 * replaces) side by side against the same moto, authentication on: each sees the other's keys
 * exactly as its own, and a key either one made signs requests for the other.
 */
@Tag("it")
class AwsIamBackendCliIT {

  private static MotoServer moto;
  private static Credentials admin;
  private static AwsIamBackend keywarden;
  private static AwsCli aws;

  @BeforeAll
  static void start() {
    moto = MotoServer.start();
    admin = moto.adminCredentials();
    moto.enableAuthentication();
    keywarden =
        AwsIamBackend.create(AwsBackendConfig.of(MotoServer.REGION, admin.provider()).withEndpoint(moto.endpoint()));
    aws = new AwsCli(moto, admin);
  }

  @AfterAll
  static void stop() {
    if (keywarden != null) {
      keywarden.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  /** The reference page's example user, fresh for every test (set up through the SDK: faster). */
  @BeforeEach
  void freshBob() {
    try (IamClient iam = moto.iamClient(admin)) {
      if (iam.listUsers().users().stream().anyMatch(u -> u.userName().equals("Bob"))) {
        iam.listAccessKeys(r -> r.userName("Bob"))
            .accessKeyMetadata()
            .forEach(k -> iam.deleteAccessKey(r -> r.userName("Bob").accessKeyId(k.accessKeyId())));
        iam.deleteUser(r -> r.userName("Bob"));
      }
      iam.createUser(r -> r.userName("Bob"));
    }
  }

  /** {@code aws iam list-access-keys --user-name Bob} as id -> entry, in the CLI's order. */
  private static Map<String, JsonNode> cliList() {
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode k : aws.json("iam", "list-access-keys", "--user-name", "Bob").path("AccessKeyMetadata")) {
      byId.put(k.path("AccessKeyId").asText(), k);
    }
    return byId;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null);
    return names;
  }

  @Test
  void bothCreateOneKeyEachAndSeeEachOthersKeysAlike() {
    // aws iam create-access-key --user-name Bob
    JsonNode cliKey = aws.json("iam", "create-access-key", "--user-name", "Bob").path("AccessKey");
    assertThat(fieldNames(cliKey)).containsExactly("AccessKeyId", "CreateDate", "SecretAccessKey", "Status", "UserName");
    assertThat(cliKey.path("UserName").asText()).isEqualTo("Bob");
    assertThat(cliKey.path("Status").asText()).isEqualTo("Active");
    String cliKeyId = cliKey.path("AccessKeyId").asText();
    Instant cliCreated = Instant.parse(cliKey.path("CreateDate").asText());
    SecretValue cliSecret = SecretValue.of(cliKey.path("SecretAccessKey").asText());
    assertThat(cliList()).containsOnlyKeys(cliKeyId);

    // keywarden's create for Bob: one more key, nothing else
    IssuedKey kwKey = keywarden.create(new CreateKeyRequest("Bob", "nonce-1", null, null));
    assertThat(kwKey.user()).isEqualTo("Bob");
    assertThat(kwKey.accessKeyId()).hasSameSizeAs(cliKeyId).startsWith(cliKeyId.substring(0, 4));
    assertThat(kwKey.secretAccessKey().reveal().length()).isEqualTo(cliSecret.reveal().length());

    // aws iam list-access-keys --user-name Bob: both keys, same fields, in creation order
    Map<String, JsonNode> listed = cliList();
    assertThat(listed.keySet()).containsExactly(cliKeyId, kwKey.accessKeyId());
    JsonNode cliEntry = listed.get(cliKeyId);
    JsonNode kwEntry = listed.get(kwKey.accessKeyId());
    assertThat(fieldNames(kwEntry)).isEqualTo(fieldNames(cliEntry)).containsExactly("AccessKeyId", "CreateDate", "Status", "UserName");
    for (JsonNode entry : List.of(cliEntry, kwEntry)) {
      assertThat(entry.path("UserName").asText()).isEqualTo("Bob");
      assertThat(entry.path("Status").asText()).isEqualTo("Active");
    }
    // the CLI reports keywarden's key with the CreateDate keywarden recorded, to the microsecond
    assertThat(Instant.parse(kwEntry.path("CreateDate").asText())).isEqualTo(kwKey.createdAt());
    assertThat(Instant.parse(cliEntry.path("CreateDate").asText())).isEqualTo(cliCreated);

    // keywarden lists the CLI's key exactly as the CLI created it
    assertThat(keywarden.list("Bob"))
        .containsExactly(
            new KeyInfo(cliKeyId, "Bob", KeyStatus.ACTIVE, cliCreated, null, null),
            new KeyInfo(kwKey.accessKeyId(), "Bob", KeyStatus.ACTIVE, kwKey.createdAt(), null, null));
  }

  @Test
  void aKeyKeywardenMadeWorksForTheCliAndTheOtherWayRound() {
    IssuedKey kwKey = keywarden.create(new CreateKeyRequest("Bob", "nonce-2", null, null));
    // the CLI signs with keywarden's key; moto checks the signature
    JsonNode whoami = aws.as(new Credentials(kwKey.accessKeyId(), kwKey.secretAccessKey())).json("sts", "get-caller-identity");
    assertThat(whoami.path("Arn").asText()).isEqualTo("arn:aws:iam::" + MotoServer.ACCOUNT_ID + ":user/Bob");
    assertThat(whoami.path("Account").asText()).isEqualTo(MotoServer.ACCOUNT_ID);

    // keywarden verifies the CLI's key
    JsonNode cliKey = aws.json("iam", "create-access-key", "--user-name", "Bob").path("AccessKey");
    IssuedKey cliIssued =
        new IssuedKey(
            cliKey.path("AccessKeyId").asText(),
            SecretValue.of(cliKey.path("SecretAccessKey").asText()),
            null,
            "Bob",
            Instant.parse(cliKey.path("CreateDate").asText()));
    keywarden.verify(cliIssued);

    // after the CLI deletes keywarden's key, neither accepts it any more
    aws.json("iam", "delete-access-key", "--user-name", "Bob", "--access-key-id", kwKey.accessKeyId());
    AwsCli.Result refused = aws.as(new Credentials(kwKey.accessKeyId(), kwKey.secretAccessKey())).run("sts", "get-caller-identity");
    assertThat(refused.ok()).isFalse();
    assertThat(refused.stderr()).contains("InvalidClientTokenId");
    assertThatThrownBy(() -> keywarden.verify(kwKey))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KEY_NOT_USABLE_YET));
  }

  @Test
  void statusChangesShowOnBothSides() {
    JsonNode cliKey = aws.json("iam", "create-access-key", "--user-name", "Bob").path("AccessKey");
    String cliKeyId = cliKey.path("AccessKeyId").asText();
    IssuedKey kwKey = keywarden.create(new CreateKeyRequest("Bob", "nonce-3", null, null));

    keywarden.setStatus("Bob", cliKeyId, KeyStatus.INACTIVE);
    aws.json("iam", "update-access-key", "--user-name", "Bob", "--access-key-id", kwKey.accessKeyId(), "--status", "Inactive");
    assertThat(cliList().values()).extracting(k -> k.path("Status").asText()).containsExactly("Inactive", "Inactive");
    assertThat(keywarden.list("Bob")).extracting(KeyInfo::status).containsExactly(KeyStatus.INACTIVE, KeyStatus.INACTIVE);

    aws.json("iam", "update-access-key", "--user-name", "Bob", "--access-key-id", cliKeyId, "--status", "Active");
    assertThat(BackendKeys.find(keywarden, "Bob", cliKeyId)).hasValueSatisfying(k -> assertThat(k.status()).isEqualTo(KeyStatus.ACTIVE));
  }

  @Test
  void bothMeetTheSameTwoKeyLimitAndEachDeletesTheOthersKey() {
    JsonNode cliKey = aws.json("iam", "create-access-key", "--user-name", "Bob").path("AccessKey");
    IssuedKey kwKey = keywarden.create(new CreateKeyRequest("Bob", "nonce-4", null, null));

    AwsCli.Result third = aws.run("iam", "create-access-key", "--user-name", "Bob");
    assertThat(third.ok()).isFalse();
    assertThat(third.stderr()).contains("LimitExceeded").contains("CreateAccessKey");
    assertThatThrownBy(() -> keywarden.create(new CreateKeyRequest("Bob", "nonce-5", null, null)))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED));
    assertThat(cliList()).hasSize(2);

    keywarden.delete("Bob", cliKey.path("AccessKeyId").asText());
    aws.json("iam", "delete-access-key", "--user-name", "Bob", "--access-key-id", kwKey.accessKeyId());
    assertThat(cliList()).isEmpty();
    assertThat(keywarden.list("Bob")).isEmpty();

    // the CLI fails on an already deleted key where keywarden counts it as deleted
    AwsCli.Result again = aws.run("iam", "delete-access-key", "--user-name", "Bob", "--access-key-id", kwKey.accessKeyId());
    assertThat(again.ok()).isFalse();
    assertThat(again.stderr()).contains("NoSuchEntity");
    keywarden.delete("Bob", kwKey.accessKeyId());
  }

  @Test
  void theCliAndKeywardenNameTheSameCaller() {
    JsonNode cli = aws.json("sts", "get-caller-identity");
    assertThat(keywarden.whoAmI().principal()).isEqualTo(cli.path("Arn").asText());
    assertThat(keywarden.whoAmI().userName()).isEqualTo(MotoServer.ADMIN_USER);
  }

  /** moto does not check IAM's user-name pattern; keywarden does, before any call. */
  @Test
  void motoAcceptsUserNamesIamRefusesButKeywardenDoesNot() {
    AwsCli.Result created = aws.run("iam", "create-user", "--user-name", "bad name!");
    assertThat(created.ok()).as("moto accepts an invalid IAM user name: %s", created).isTrue();
    assertThatThrownBy(() -> keywarden.create(new CreateKeyRequest("bad name!", "n", null, null)))
        .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_REQUEST));
    assertThat(StreamSupport.stream(aws.json("iam", "list-access-keys", "--user-name", "bad name!").path("AccessKeyMetadata").spliterator(), false))
        .isEmpty();
  }
}
