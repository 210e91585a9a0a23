/*
 * A documented experiment, not part of the build: the pair decoding plan of Ida (two lost pieces)
 * fused in registers, against the inverse's two rows, as straight-line Vector API loops over three
 * inputs of random bytes (the coefficients are arbitrary: only the speed is measured). See
 * docs/performance.md, "What limits the vector kernel".
 *
 *   javac --add-modules jdk.incubator.vector -d /tmp/fused benchmarks/experiments/FusedPairLoop.java
 *   java --add-modules jdk.incubator.vector -cp /tmp/fused FusedPairLoop direct 1048576 21
 *   java --add-modules jdk.incubator.vector -cp /tmp/fused FusedPairLoop fused 1048576 21
 *
 * Arguments: the loop (direct or fused), bytes per piece, stripes (16384 1 stays in cache).
 * Prints GB/s of document (three pieces per stripe) for five 1-second rounds after five of warm-up.
 */
import jdk.incubator.vector.*;
import java.util.*;
public class FusedPairLoop {
  static final VectorSpecies<Byte> S = ByteVector.SPECIES_PREFERRED;
  static final int L = S.length();
  static byte[] tab(int c) { byte[] t = new byte[2*L]; for (int x = 0; x < L; x++) { t[x] = (byte) mul(c, x & 15); t[L+x] = (byte) mul(c, (x & 15) << 4);} return t; }
  static int mul(int a, int b) { int p = 0; while (b != 0) { if ((b & 1) != 0) p ^= a; a <<= 1; if ((a & 0x100) != 0) a ^= 0x171; b >>= 1; } return p; }
  static ByteVector hi(ByteVector v) { return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().lanewise(VectorOperators.AND, (byte) 0x0F); }
  // direct: d0 = a0 x + a1 y + a2 z; d1 = b0 x + b1 y + b2 z
  static void direct(byte[] x, byte[] y, byte[] z, byte[] d0, byte[] d1, int n, byte[] t) {
    for (int q = 0; q < n; q += L) {
      ByteVector v = ByteVector.fromArray(S, x, q), w = ByteVector.fromArray(S, y, q), u = ByteVector.fromArray(S, z, q);
      ByteVector vl = v.lanewise(VectorOperators.AND, (byte) 15), vh = hi(v), wl = w.lanewise(VectorOperators.AND, (byte) 15), wh = hi(w), ul = u.lanewise(VectorOperators.AND, (byte) 15), uh = hi(u);
      ByteVector a = vl.selectFrom(ByteVector.fromArray(S, t, 0)).lanewise(VectorOperators.XOR, vh.selectFrom(ByteVector.fromArray(S, t, L)))
        .lanewise(VectorOperators.XOR, wl.selectFrom(ByteVector.fromArray(S, t, 2*L))).lanewise(VectorOperators.XOR, wh.selectFrom(ByteVector.fromArray(S, t, 3*L)))
        .lanewise(VectorOperators.XOR, ul.selectFrom(ByteVector.fromArray(S, t, 4*L))).lanewise(VectorOperators.XOR, uh.selectFrom(ByteVector.fromArray(S, t, 5*L)));
      ByteVector b = vl.selectFrom(ByteVector.fromArray(S, t, 6*L)).lanewise(VectorOperators.XOR, vh.selectFrom(ByteVector.fromArray(S, t, 7*L)))
        .lanewise(VectorOperators.XOR, wl.selectFrom(ByteVector.fromArray(S, t, 8*L))).lanewise(VectorOperators.XOR, wh.selectFrom(ByteVector.fromArray(S, t, 9*L)))
        .lanewise(VectorOperators.XOR, ul.selectFrom(ByteVector.fromArray(S, t, 10*L))).lanewise(VectorOperators.XOR, uh.selectFrom(ByteVector.fromArray(S, t, 11*L)));
      a.intoArray(d0, q); b.intoArray(d1, q);
    }
  }
  // fused: x=d2, y=p3, z=p4: tt = y ^ z ^ c*x; d1 = k*tt; d0 = y ^ x ^ d1
  static void fused(byte[] x, byte[] y, byte[] z, byte[] d0, byte[] d1, int n, byte[] t) {
    for (int q = 0; q < n; q += L) {
      ByteVector v = ByteVector.fromArray(S, x, q), w = ByteVector.fromArray(S, y, q), u = ByteVector.fromArray(S, z, q);
      ByteVector vl = v.lanewise(VectorOperators.AND, (byte) 15), vh = hi(v);
      ByteVector tt = w.lanewise(VectorOperators.XOR, u).lanewise(VectorOperators.XOR, vl.selectFrom(ByteVector.fromArray(S, t, 0))).lanewise(VectorOperators.XOR, vh.selectFrom(ByteVector.fromArray(S, t, L)));
      ByteVector tl = tt.lanewise(VectorOperators.AND, (byte) 15), th = hi(tt);
      ByteVector b = tl.selectFrom(ByteVector.fromArray(S, t, 2*L)).lanewise(VectorOperators.XOR, th.selectFrom(ByteVector.fromArray(S, t, 3*L)));
      ByteVector a = w.lanewise(VectorOperators.XOR, v).lanewise(VectorOperators.XOR, b);
      a.intoArray(d0, q); b.intoArray(d1, q);
    }
  }
  public static void main(String[] args) {
    boolean fused = args[0].equals("fused"); int seg = Integer.parseInt(args[1]); int stripes = Integer.parseInt(args[2]);
    byte[] t = new byte[12 * L]; Random r = new Random(1);
    for (int k = 0; k < 6; k++) System.arraycopy(tab(2 + r.nextInt(250)), 0, t, 2*k*L, 2*L);
    byte[][][] in = new byte[stripes][3][seg]; for (byte[][] s : in) for (byte[] a : s) r.nextBytes(a);
    byte[] d0 = new byte[seg], d1 = new byte[seg];
    for (int round = 0; round < 10; round++) {
      long t0 = System.nanoTime(), done = 0;
      while (System.nanoTime() - t0 < 1_000_000_000L) { for (int s = 0; s < stripes; s++) { if (fused) fused(in[s][0], in[s][1], in[s][2], d0, d1, seg, t); else direct(in[s][0], in[s][1], in[s][2], d0, d1, seg, t);} done += 3L * seg * stripes; }
      if (round >= 5) System.out.printf("%s %.2f GB/s%n", args[0], done / ((System.nanoTime() - t0) / 1e9) / 1e9);
    }
  }
}
