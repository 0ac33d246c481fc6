package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.admin.Crypto;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.UnaryOperator;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MinIO's admin payload format, checked against minio-java's {@code io.minio.admin.Crypto} (an
 * independent implementation, both ways) and against payloads Go's madmin code made.
 */
class MadminCryptoTest {
  private static final String SECRET = "test-secret-key-1234";
  private static final long[] MEMORY = new long[Argon2id.MADMIN.memoryWords()];

  /** Sizes around sio's 16 KiB fragments. */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 16383, 16384, 16385, 40000})
  void minioJavaReadsWhatWeWrite(int size) throws Exception {
    byte[] plaintext = plaintext(size);

    byte[] payload = MadminCrypto.encrypt(plaintext, SECRET, MEMORY);

    assertThat(payload[MadminCrypto.SALT_BYTES]).isEqualTo(MadminCrypto.ARGON2ID_AES_GCM);
    assertThat(Crypto.decrypt(new ByteArrayInputStream(payload), SECRET)).isEqualTo(plaintext);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 16384, 16385, 40000})
  void weReadWhatMinioJavaWrites(int size) throws Exception {
    byte[] plaintext = plaintext(size);

    assertThat(MadminCrypto.decrypt(Crypto.encrypt(plaintext, SECRET), SECRET, MEMORY)).isEqualTo(plaintext);
  }

  /**
   * Made by Go with sio-go and x/crypto as madmin's EncryptData does, one per algorithm id, from
   * salt 32 x 0x5a and nonce 0102030405060708.
   */
  @ParameterizedTest(name = "algorithm id {0}")
  @CsvSource({
      "0, 185f1d67bfcf00d2ade95786d672b7e3479e9e7a7eb342e1dc0b7e6bbcf9683accd2821acad7797302bf9a98eee6c675230209a2",
      "1, 2d58f9e1d5b8d9197c5dcae731d743920efce4cc506abdbe837d006e546611b92dc20f372561cd50f2a34c5255d97e1eddd78e58",
      "2, 5c3f6941975bbd3f3066d9e921358c283b6981de8c5e27d98d23ff84c82bc3bfc1317068dc432a1b3e658ea86d02d5943fda801f",
  })
  void readsWhatGoWrites(int id, String sealedHex) throws Exception {
    byte[] payload = HexFormat.of().parseHex("5a".repeat(32) + "%02x".formatted(id) + "0102030405060708" + sealedHex);

    byte[] plaintext = MadminCrypto.decrypt(payload, "madmin-test-secret-ü", MEMORY);

    assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo("{\"policy\":\"readwrite\",\"status\":\"on\"}");
  }

  /** One of madmin-go's own test payloads (encrypt_test.go): 32 bytes. */
  @Test
  void readsMadminGoTestPayload() throws Exception {
    byte[] payload = HexFormat.of().parseHex(
        "b5c016e93b84b473fc8a37af94936563630c36d6df1841d23a86ee51ca161f9e00ac19116b32f643ff6a56a212b265d8c56"
            + "195bb0d12ce199e13dfdc5272f80c1564da2c6fc2fa18da91d8062de02af5cdafea491c6f3cae1f");

    assertThat(MadminCrypto.decrypt(payload, "xPl.8/rhR\"Q_1xLt", MEMORY)).hasSize(32);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"a flipped ciphertext byte", "a flipped salt byte", "a dropped last byte", "a dropped fragment",
      "another secret key"})
  void refusesWhatIsNotAuthentic(String change) throws Exception {
    byte[] payload = MadminCrypto.encrypt(plaintext(20000), SECRET, MEMORY);
    UnaryOperator<byte[]> altered = switch (change) {
      case "a flipped ciphertext byte" -> p -> flip(p, MadminCrypto.HEADER_BYTES + 5);
      case "a flipped salt byte" -> p -> flip(p, 0);
      case "a dropped last byte" -> p -> Arrays.copyOf(p, p.length - 1);
      case "a dropped fragment" -> p -> Arrays.copyOf(p, MadminCrypto.HEADER_BYTES + 16384 + 16);
      default -> UnaryOperator.identity();
    };
    String secret = change.equals("another secret key") ? "another-secret-key-5678" : SECRET;

    assertThatThrownBy(() -> MadminCrypto.decrypt(altered.apply(payload), secret, MEMORY))
        .isInstanceOf(AEADBadTagException.class)
        .satisfies(e -> assertThat(String.valueOf(e.getMessage())).doesNotContain(SECRET, secret));
  }

  @Test
  void refusesAnUnknownAlgorithmOrAShortPayload() throws Exception {
    byte[] payload = MadminCrypto.encrypt(plaintext(10), SECRET, MEMORY);
    payload[MadminCrypto.SALT_BYTES] = 7;

    assertThatThrownBy(() -> MadminCrypto.decrypt(payload, SECRET, MEMORY))
        .isExactlyInstanceOf(GeneralSecurityException.class)
        .hasMessage("MinIO's payload names an unknown algorithm id 7");
    assertThatThrownBy(() -> MadminCrypto.decrypt(new byte[40], SECRET, MEMORY))
        .isExactlyInstanceOf(GeneralSecurityException.class)
        .hasMessage("MinIO's payload is shorter than its 41-byte header");
  }

  private static byte[] plaintext(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    return bytes;
  }

  private static byte[] flip(byte[] payload, int index) {
    byte[] copy = payload.clone();
    copy[index] ^= 1;
    return copy;
  }
}
