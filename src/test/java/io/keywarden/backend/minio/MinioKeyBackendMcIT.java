package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.SecretValue;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.McKeyInfo;
import io.keywarden.testsupport.MinioServer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Side by side with the real {@code mc admin accesskey create}: for each example of its reference
 * page, a key made by mc and one made by keywarden with the same settings show the same fields in
 * {@code mc admin accesskey info --json}, and both keys sign S3 requests MinIO accepts.
 */
@Tag("it")
class MinioKeyBackendMcIT {

  private static final String BUCKET = "data";
  private static final String OBJECT = "hello.txt";
  private static final String READ_DATA =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:GetObject\"],"
          + "\"Resource\":[\"arn:aws:s3:::data/*\"]}]}";
  private static final AtomicInteger NAMES = new AtomicInteger();

  private static MinioServer minio;
  private static Mc mc;
  private static MinioKeyBackend keywarden;

  @BeforeAll
  static void startMinio() {
    minio = MinioServer.start();
    mc = minio.mc();
    keywarden = MinioKeyBackend.create(
        MinioBackendConfig.of(minio.endpoint(), minio.rootCredentials().accessKey(), minio.rootCredentials().secretKey()));
    mc.json("mb", Mc.ALIAS + "/" + BUCKET);
    mc.jsonLines("cp", minio.writeFile(OBJECT, "hello").toString(), Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
  }

  @AfterAll
  static void stopMinio() {
    if (minio != null) {
      minio.close();
    }
  }

  private static String newUser() {
    return minio.createUser("aistoruser" + NAMES.incrementAndGet(), "readonly").accessKey();
  }

  /** Runs {@code mc admin accesskey create <args>}; returns the new key (its secret stays in the SecretValue). */
  private static IssuedKey mcCreate(String... args) {
    List<String> command = new ArrayList<>(List.of("admin", "accesskey", "create"));
    command.addAll(List.of(args));
    JsonNode created = mc.json(command.toArray(String[]::new));
    return new IssuedKey(
        created.get("accessKey").asText(), SecretValue.of(created.get("secretKey").asText()), null, null, null);
  }

  private static ObjectNode info(String accessKey) {
    return McKeyInfo.describing(mc, accessKey);
  }

  private static void assertSameFields(IssuedKey byMc, IssuedKey byKeywarden) {
    assertThat(info(byKeywarden.accessKeyId())).isEqualTo(info(byMc.accessKeyId()));
    assertWorks(byMc);
    assertWorks(byKeywarden);
  }

  private static void assertWorks(IssuedKey key) {
    Mc.Result read = mc.as(key.accessKeyId(), key.secretAccessKey()).run("cat", Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
    assertThat(read.ok()).as("S3 GetObject signed with %s: %s", key.accessKeyId(), read).isTrue();
  }

  @Test
  void keyForTheAuthenticatedUser() {
    // mc admin accesskey create myaistor/
    IssuedKey byMc = mcCreate(Mc.ALIAS);
    IssuedKey byKeywarden = keywarden.create(new CreateKeyRequest(null, "n", null, null));

    assertThat(info(byKeywarden.accessKeyId()).get("parentUser").asText()).isEqualTo(minio.rootCredentials().accessKey());
    assertSameFields(byMc, byKeywarden);
  }

  @Test
  void customAccessAndSecretKeyForTheAuthenticatedUser() {
    // mc admin accesskey create myaistor/ --access-key myaccesskey --secret-key mysecretkey
    IssuedKey byMc = mcCreate(Mc.ALIAS, "--access-key", "mcaccesskey", "--secret-key", "mcsecretkey");
    IssuedKey byKeywarden = keywarden.create(
        new CreateKeyRequest(null, "n", null, null, null, null, "kwaccesskey", SecretValue.of("kwsecretkey")));

    assertThat(byMc.accessKeyId()).isEqualTo("mcaccesskey");
    assertThat(byKeywarden.accessKeyId()).isEqualTo("kwaccesskey");
    assertSameFields(byMc, byKeywarden);
  }

  @Test
  void keyForAnotherUserWithLimitedDuration() {
    // mc admin accesskey create myaistor/ myaistoruser --expiry-duration 24h
    String user = newUser();
    IssuedKey byMc = mcCreate(Mc.ALIAS, user, "--expiry-duration", "24h");
    IssuedKey byKeywarden = keywarden.create(new CreateKeyRequest(user, "n", null, Instant.now().plus(Duration.ofHours(24))));

    ObjectNode mcInfo = info(byMc.accessKeyId());
    ObjectNode kwInfo = info(byKeywarden.accessKeyId());
    // both expire 24h after their own creation, a moment apart
    Instant mcExpiry = Instant.parse(mcInfo.remove("expiration").asText());
    Instant kwExpiry = Instant.parse(kwInfo.remove("expiration").asText());
    assertThat(Duration.between(mcExpiry, kwExpiry).abs()).isLessThan(Duration.ofMinutes(1));
    assertThat(kwInfo).isEqualTo(mcInfo);
    assertWorks(byMc);
    assertWorks(byKeywarden);
  }

  @Test
  void keyForTheAuthenticatedUserThatExpiresOnADate() {
    // mc admin accesskey create myaistor/ --expiry 2027-01-15 (a date MinIO accepts: within a year)
    LocalDate date = LocalDate.now(ZoneOffset.UTC).plusDays(30);
    IssuedKey byMc = mcCreate(Mc.ALIAS, "--expiry", date.toString());
    IssuedKey byKeywarden =
        keywarden.create(new CreateKeyRequest(null, "n", null, date.atStartOfDay(ZoneOffset.UTC).toInstant()));

    assertThat(info(byKeywarden.accessKeyId()).get("expiration").asText()).isEqualTo(date + "T00:00:00Z");
    assertSameFields(byMc, byKeywarden);
  }

  @Test
  void keyForAnotherUserWithAPolicy() {
    // mc admin accesskey create myaistor/ aistoruser --policy /path/to/policy.json
    String user = newUser();
    IssuedKey byMc = mcCreate(Mc.ALIAS, user, "--policy", minio.writeFile("policy.json", READ_DATA).toString());
    IssuedKey byKeywarden = keywarden.create(new CreateKeyRequest(user, "n", null, null, null, READ_DATA, null, null));

    assertThat(info(byKeywarden.accessKeyId()).get("impliedPolicy")).isNull();
    assertSameFields(byMc, byKeywarden);
  }

  @Test
  void keyWithANameAndADescription() {
    // mc admin accesskey create myaistor/ tester --name … --description "Access key for tester"
    String user = newUser();
    IssuedKey byMc = mcCreate(Mc.ALIAS, user, "--name", "tester-key", "--description", "Access key for tester");
    IssuedKey byKeywarden = keywarden.create(
        new CreateKeyRequest(user, "n", "Access key for tester", null, "tester-key", null, null, null));

    assertThat(info(byKeywarden.accessKeyId()).get("name").asText()).isEqualTo("tester-key");
    assertSameFields(byMc, byKeywarden);
  }
}
