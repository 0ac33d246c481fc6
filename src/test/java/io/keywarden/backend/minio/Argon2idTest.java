package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Argon2idTest {

  /** RFC 9106 section 5.3: Argon2id with a secret and associated data. */
  @Test
  void matchesTheRfc9106TestVector() {
    byte[] password = filled(32, 0x01);
    byte[] salt = filled(16, 0x02);
    byte[] secret = filled(8, 0x03);
    byte[] associatedData = filled(12, 0x04);
    Argon2id argon2 = new Argon2id(3, 32, 4);

    byte[] tag = argon2.derive(password, salt, secret, associatedData, 32, new long[argon2.memoryWords()]);

    assertThat(HexFormat.of().formatHex(tag))
        .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
  }

  @ParameterizedTest(name = "t={0} m={1} KiB p={2} salt {3} bytes, tag {5} bytes")
  @CsvSource({
      // passes, memoryKiB, lanes, saltBytes, password, tagBytes
      "1, 8, 1, 8, '', 4",
      "1, 64, 1, 16, password, 32",
      "2, 256, 2, 16, password, 64",
      "3, 32, 4, 16, correct horse, 65",
      "2, 100, 3, 32, not a multiple of 4p, 97",
      "4, 1024, 4, 32, minio-secret-key, 128",
      "1, 4096, 8, 32, more lanes than MinIO, 32",
      "1, 65536, 4, 32, MinIO's exact parameters, 32",
  })
  void derivesWhatBouncyCastleDerives(int passes, int memoryKiB, int lanes, int saltBytes, String password, int tagBytes) {
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    byte[] salt = filled(saltBytes, 0xa5);
    Argon2id argon2 = new Argon2id(passes, memoryKiB, lanes);

    byte[] ours = argon2.derive(pw, salt, tagBytes, new long[argon2.memoryWords()]);

    assertThat(ours).isEqualTo(bouncyCastle(passes, memoryKiB, lanes, salt, pw, tagBytes));
  }

  @Test
  void reusesItsMemoryAndLeavesItZeroed() {
    long[] memory = new long[Argon2id.MADMIN.memoryWords()];
    byte[] salt = filled(32, 0x11);

    for (String password : new String[] {"first-secret", "second-secret", "first-secret"}) {
      byte[] pw = password.getBytes(StandardCharsets.UTF_8);
      assertThat(Argon2id.MADMIN.derive(pw, salt, 32, memory))
          .as(password)
          .isEqualTo(bouncyCastle(1, 64 * 1024, 4, salt, pw, 32));
      assertThat(Arrays.stream(memory).allMatch(word -> word == 0)).as("zeroed after a derivation").isTrue();
    }
  }

  @Test
  void refusesMemoryThatIsTooSmall() {
    Argon2id argon2 = new Argon2id(1, 64, 1);
    assertThatThrownBy(() -> argon2.derive(new byte[1], new byte[8], 32, new long[argon2.memoryWords() - 1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longs of memory");
  }

  private static byte[] bouncyCastle(int passes, int memoryKiB, int lanes, byte[] salt, byte[] password, int tagBytes) {
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withIterations(passes)
        .withMemoryAsKB(memoryKiB)
        .withParallelism(lanes)
        .withSalt(salt)
        .build());
    byte[] tag = new byte[tagBytes];
    generator.generateBytes(password, tag);
    return tag;
  }

  private static byte[] filled(int length, int value) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }
}
