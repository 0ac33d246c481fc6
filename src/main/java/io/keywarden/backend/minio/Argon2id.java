package io.keywarden.backend.minio;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2id (RFC 9106, version 0x13) that works in memory the caller owns and reuses.
 *
 * <p><b>Why not Bouncy Castle's {@code Argon2BytesGenerator}.</b> It allocates one object per 1 KiB
 * block (65,536 objects for MinIO's 64 MiB) on every derivation and cannot reuse them. Under a burst
 * of MinIO admin calls that garbage kept the collector busy for a third of the time. Here the blocks
 * live in one flat {@code long[]} (block {@code b} is words {@code 128*b .. 128*b+127}), which {@link
 * AdminCallLimit} keeps for the next call. Only the H0 and H' hashes use Bouncy Castle's Blake2b.
 *
 * <p>Lanes are filled one after another, slice by slice (as Bouncy Castle does): a segment only
 * refers to blocks of earlier slices in other lanes, so this order gives the same result as filling
 * the lanes in parallel.
 */
final class Argon2id {
  /** MinIO's admin API (madmin {@code EncryptData}): one pass over 64 MiB in 4 lanes. */
  static final Argon2id MADMIN = new Argon2id(1, 64 * 1024, 4);

  private static final int BLOCK_WORDS = 128;
  private static final int BLOCK_BYTES = 8 * BLOCK_WORDS;
  /** Slices per pass: the points where the lanes synchronise. */
  private static final int SLICES = 4;
  private static final int VERSION = 0x13;
  private static final int TYPE_ARGON2ID = 2;

  private final int passes;
  private final int memoryKiB;
  private final int lanes;
  private final int laneLength;
  private final int segmentLength;

  /**
   * @param passes t, at least 1
   * @param memoryKiB m, at least 8 per lane; rounded down to a multiple of 4 blocks per lane
   * @param lanes p, at least 1
   */
  Argon2id(int passes, int memoryKiB, int lanes) {
    if (passes < 1 || lanes < 1 || memoryKiB < 8 * lanes) {
      throw new IllegalArgumentException("Argon2id needs t >= 1, p >= 1 and m >= 8p KiB");
    }
    this.passes = passes;
    this.memoryKiB = memoryKiB;
    this.lanes = lanes;
    this.segmentLength = memoryKiB / (SLICES * lanes);
    this.laneLength = SLICES * segmentLength;
  }

  /** The size of the memory a derivation works in, in longs: allocate it once, reuse it. */
  int memoryWords() {
    return lanes * laneLength * BLOCK_WORDS;
  }

  /** A key without secret or associated data, as MinIO derives it. */
  byte[] derive(byte[] password, byte[] salt, int tagLength, long[] memory) {
    return derive(password, salt, new byte[0], new byte[0], tagLength, memory);
  }

  /**
   * The tag for these inputs. {@code memory} must hold at least {@link #memoryWords()} longs; what
   * it held before does not matter, and it is zeroed again before this returns, since it holds
   * material derived from the password.
   */
  byte[] derive(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, int tagLength, long[] memory) {
    if (memory.length < memoryWords()) {
      throw new IllegalArgumentException("Argon2id needs " + memoryWords() + " longs of memory, got " + memory.length);
    }
    if (tagLength < 4) {
      throw new IllegalArgumentException("Argon2id tags are at least 4 bytes, asked for " + tagLength);
    }
    long[] x = new long[BLOCK_WORDS];
    long[] scratch = new long[BLOCK_WORDS];
    try {
      firstBlocks(h0(password, salt, secret, associatedData, tagLength), memory);
      Addresses addresses = new Addresses(scratch);
      for (int pass = 0; pass < passes; pass++) {
        for (int slice = 0; slice < SLICES; slice++) {
          for (int lane = 0; lane < lanes; lane++) {
            fillSegment(memory, pass, slice, lane, addresses, x, scratch);
          }
        }
      }
      return tag(memory, tagLength);
    } finally {
      Arrays.fill(memory, 0, memoryWords(), 0L);
      Arrays.fill(x, 0L);
      Arrays.fill(scratch, 0L);
    }
  }

  /** H0: Blake2b-512 over the parameters and inputs, each input preceded by its length. */
  private byte[] h0(byte[] password, byte[] salt, byte[] secret, byte[] associatedData, int tagLength) {
    Blake2bDigest blake = new Blake2bDigest(512);
    for (int value : new int[] {lanes, tagLength, memoryKiB, passes, VERSION, TYPE_ARGON2ID}) {
      update(blake, value);
    }
    for (byte[] input : new byte[][] {password, salt, secret, associatedData}) {
      update(blake, input.length);
      blake.update(input, 0, input.length);
    }
    byte[] h0 = new byte[64];
    blake.doFinal(h0, 0);
    return h0;
  }

  /** Blocks 0 and 1 of each lane: H'(H0 || column || lane). */
  private void firstBlocks(byte[] h0, long[] memory) {
    byte[] input = Arrays.copyOf(h0, h0.length + 8);
    byte[] block = new byte[BLOCK_BYTES];
    for (int lane = 0; lane < lanes; lane++) {
      for (int column = 0; column < 2; column++) {
        putInt(input, 64, column);
        putInt(input, 68, lane);
        hPrime(input, block);
        for (int word = 0; word < BLOCK_WORDS; word++) {
          memory[(lane * laneLength + column) * BLOCK_WORDS + word] = getLong(block, 8 * word);
        }
      }
    }
    Arrays.fill(h0, (byte) 0);
    Arrays.fill(input, (byte) 0);
    Arrays.fill(block, (byte) 0);
  }

  private void fillSegment(long[] memory, int pass, int slice, int lane, Addresses addresses, long[] x, long[] scratch) {
    // Argon2id: the first half of the first pass picks reference blocks independently of the data
    // (Argon2i, against side channels), the rest from the previous block (Argon2d).
    boolean dataIndependent = pass == 0 && slice < SLICES / 2;
    int first = pass == 0 && slice == 0 ? 2 : 0; // blocks 0 and 1 come from H'
    if (dataIndependent) {
      addresses.start(pass, lane, slice, lanes * laneLength, passes);
    }
    int laneStart = lane * laneLength;
    for (int index = first; index < segmentLength; index++) {
      int column = slice * segmentLength + index;
      int previous = laneStart + (column == 0 ? laneLength - 1 : column - 1);
      long pseudoRandom = dataIndependent ? addresses.next(index) : memory[previous * BLOCK_WORDS];
      int referenceLane = pass == 0 && slice == 0 ? lane : (int) ((pseudoRandom >>> 32) % lanes);
      int reference = referenceLane * laneLength
          + referenceColumn(pass, slice, index, pseudoRandom & 0xFFFFFFFFL, referenceLane == lane);
      // G(previous, reference), XORed into the block of the earlier pass from the second pass on
      int current = (laneStart + column) * BLOCK_WORDS;
      for (int word = 0; word < BLOCK_WORDS; word++) {
        x[word] = memory[previous * BLOCK_WORDS + word] ^ memory[reference * BLOCK_WORDS + word];
      }
      compress(x, scratch);
      for (int word = 0; word < BLOCK_WORDS; word++) {
        memory[current + word] = pass == 0 ? x[word] : memory[current + word] ^ x[word];
      }
    }
  }

  /** RFC 9106 3.4.1.2: maps J1 onto the blocks this one may refer to, nearer ones more likely. */
  private int referenceColumn(int pass, int slice, int index, long j1, boolean sameLane) {
    // finished segments (of this pass, or the last three of the previous one), and in this lane the
    // blocks of this segment so far; never the block just before this one
    long areaSize = (pass == 0 ? (long) slice * segmentLength : laneLength - segmentLength)
        + (sameLane ? index - 1 : (index == 0 ? -1 : 0));
    long x = (j1 * j1) >>> 32;
    long relative = areaSize - 1 - ((areaSize * x) >>> 32);
    long start = pass == 0 || slice == SLICES - 1 ? 0 : (long) (slice + 1) * segmentLength;
    return (int) ((start + relative) % laneLength);
  }

  /** The tag: H' of the XOR of every lane's last block. */
  private byte[] tag(long[] memory, int tagLength) {
    byte[] last = new byte[BLOCK_BYTES];
    for (int word = 0; word < BLOCK_WORDS; word++) {
      long xor = 0;
      for (int lane = 0; lane < lanes; lane++) {
        xor ^= memory[(lane * laneLength + laneLength - 1) * BLOCK_WORDS + word];
      }
      putLong(last, 8 * word, xor);
    }
    byte[] tag = new byte[tagLength];
    hPrime(last, tag);
    Arrays.fill(last, (byte) 0);
    return tag;
  }

  /**
   * The pseudo-random numbers of data-independent addressing: blocks G(0, G(0, input)) where input
   * holds the position and a counter, 128 numbers each.
   */
  private static final class Addresses {
    private final long[] input = new long[BLOCK_WORDS];
    private final long[] block = new long[BLOCK_WORDS];
    private final long[] scratch;

    Addresses(long[] scratch) {
      this.scratch = scratch;
    }

    void start(int pass, int lane, int slice, int blocks, int passes) {
      Arrays.fill(input, 0L);
      input[0] = pass;
      input[1] = lane;
      input[2] = slice;
      input[3] = blocks;
      input[4] = passes;
      input[5] = TYPE_ARGON2ID;
      if (pass == 0 && slice == 0) {
        refill(); // the segment starts at index 2, past the point where the loop would make it
      }
    }

    long next(int index) {
      if (index % BLOCK_WORDS == 0) {
        refill();
      }
      return block[index % BLOCK_WORDS];
    }

    private void refill() {
      input[6]++;
      System.arraycopy(input, 0, block, 0, BLOCK_WORDS);
      compress(block, scratch);
      compress(block, scratch);
    }
  }

  /**
   * The compression G for a block already XORed from its two inputs: x becomes x ^ P(x), where P
   * applies the Blake2b round (with BlaMka's multiplications) to the 8 rows, then the 8 columns, of
   * 16 words.
   */
  private static void compress(long[] x, long[] z) {
    System.arraycopy(x, 0, z, 0, BLOCK_WORDS);
    for (int row = 0; row < 8; row++) {
      int i = 16 * row;
      round(z, i, i + 1, i + 2, i + 3, i + 4, i + 5, i + 6, i + 7,
          i + 8, i + 9, i + 10, i + 11, i + 12, i + 13, i + 14, i + 15);
    }
    for (int column = 0; column < 8; column++) {
      int i = 2 * column;
      round(z, i, i + 1, i + 16, i + 17, i + 32, i + 33, i + 48, i + 49,
          i + 64, i + 65, i + 80, i + 81, i + 96, i + 97, i + 112, i + 113);
    }
    for (int word = 0; word < BLOCK_WORDS; word++) {
      x[word] ^= z[word];
    }
  }

  private static void round(long[] v, int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7,
      int v8, int v9, int v10, int v11, int v12, int v13, int v14, int v15) {
    mix(v, v0, v4, v8, v12);
    mix(v, v1, v5, v9, v13);
    mix(v, v2, v6, v10, v14);
    mix(v, v3, v7, v11, v15);
    mix(v, v0, v5, v10, v15);
    mix(v, v1, v6, v11, v12);
    mix(v, v2, v7, v8, v13);
    mix(v, v3, v4, v9, v14);
  }

  private static void mix(long[] v, int a, int b, int c, int d) {
    v[a] = blaMka(v[a], v[b]);
    v[d] = Long.rotateRight(v[d] ^ v[a], 32);
    v[c] = blaMka(v[c], v[d]);
    v[b] = Long.rotateRight(v[b] ^ v[c], 24);
    v[a] = blaMka(v[a], v[b]);
    v[d] = Long.rotateRight(v[d] ^ v[a], 16);
    v[c] = blaMka(v[c], v[d]);
    v[b] = Long.rotateRight(v[b] ^ v[c], 63);
  }

  /** BlaMka: Blake2b's addition plus twice the product of the low halves, costly to speed up in hardware. */
  private static long blaMka(long x, long y) {
    return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
  }

  /**
   * H' (RFC 9106 3.3): Blake2b stretched to out.length bytes. Up to 64 bytes it is one hash; longer
   * outputs chain 64-byte hashes, keep the first 32 bytes of each, and end with one hash of the
   * remaining length.
   */
  private static void hPrime(byte[] input, byte[] out) {
    byte[] length = new byte[4];
    putInt(length, 0, out.length);
    if (out.length <= 64) {
      blake2b(out.length, out, 0, length, input);
      return;
    }
    byte[] v = new byte[64];
    blake2b(64, v, 0, length, input);
    int written = 0;
    while (true) {
      System.arraycopy(v, 0, out, written, 32);
      written += 32;
      if (out.length - written <= 64) {
        break;
      }
      blake2b(64, v, 0, v);
    }
    blake2b(out.length - written, out, written, v);
    Arrays.fill(v, (byte) 0);
  }

  /** Blake2b with an output of {@code size} bytes over the inputs, written to out at offset. */
  private static void blake2b(int size, byte[] out, int offset, byte[]... inputs) {
    Blake2bDigest blake = new Blake2bDigest(8 * size);
    for (byte[] input : inputs) {
      blake.update(input, 0, input.length);
    }
    blake.doFinal(out, offset);
  }

  private static void update(Blake2bDigest blake, int value) {
    byte[] bytes = new byte[4];
    putInt(bytes, 0, value);
    blake.update(bytes, 0, 4);
  }

  private static void putInt(byte[] bytes, int offset, int value) {
    for (int i = 0; i < 4; i++) {
      bytes[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  private static void putLong(byte[] bytes, int offset, long value) {
    for (int i = 0; i < 8; i++) {
      bytes[offset + i] = (byte) (value >>> (8 * i));
    }
  }

  private static long getLong(byte[] bytes, int offset) {
    long value = 0;
    for (int i = 7; i >= 0; i--) {
      value = (value << 8) | (bytes[offset + i] & 0xFF);
    }
    return value;
  }
}
