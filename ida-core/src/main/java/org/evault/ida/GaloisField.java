package org.evault.ida;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The field GF(2^8) defined by one irreducible polynomial of degree 8.
 *
 * <p>The default is the e-Vault paper's x^8 + x^6 + x^5 + x^4 + 1 ({@code 0x171}). Any other
 * irreducible polynomial may be chosen; a reducible one is refused, because its residue ring has
 * zero divisors and IDA decoding would then fail for some slice sets. The polynomial need not be
 * primitive: products come from a full 256 x 256 table, not from logarithms.
 *
 * <p>Instances are immutable, cached per polynomial and safe to share between threads.
 */
public final class GaloisField {
    /** x^8 + x^6 + x^5 + x^4 + 1, the polynomial of the e-Vault paper (section 2.5). */
    public static final int DEFAULT_POLYNOMIAL = 0x171;

    private static final Map<Integer, GaloisField> CACHE = new ConcurrentHashMap<>();

    private final int polynomial;
    /** products[a << 8 | b] = a * b; one flat array so that a row is a contiguous 256 bytes. */
    private final byte[] products;
    private final byte[] inverses;

    private GaloisField(int polynomial) {
        this.polynomial = polynomial;
        this.products = new byte[256 * 256];
        this.inverses = new byte[256];
        for (int a = 0; a < 256; a++) {
            for (int b = a; b < 256; b++) {
                byte p = (byte) slowMultiply(a, b, polynomial);
                products[a << 8 | b] = p;
                products[b << 8 | a] = p;
                if (p == 1) {
                    inverses[a] = (byte) b;
                    inverses[b] = (byte) a;
                }
            }
        }
    }

    /** The field of the paper's polynomial {@link #DEFAULT_POLYNOMIAL}. */
    public static GaloisField standard() {
        return of(DEFAULT_POLYNOMIAL);
    }

    /**
     * The field defined by {@code polynomial}, given with its x^8 bit (0x100..0x1FF).
     *
     * @throws IllegalArgumentException if the polynomial is not of degree 8 or is reducible
     */
    public static GaloisField of(int polynomial) {
        if (polynomial < 0x100 || polynomial > 0x1FF) {
            throw new IllegalArgumentException(String.format(
                    "field polynomial must have degree 8 (0x100..0x1FF), not 0x%X", polynomial));
        }
        int factor = smallestFactor(polynomial);
        if (factor != 0) {
            throw new IllegalArgumentException(String.format(
                    "field polynomial 0x%X is reducible (divisible by 0x%X): GF(2^8) needs an irreducible one",
                    polynomial, factor));
        }
        return CACHE.computeIfAbsent(polynomial, GaloisField::new);
    }

    public int polynomial() {
        return polynomial;
    }

    public int add(int a, int b) {
        return (a ^ b) & 0xFF;
    }

    public int multiply(int a, int b) {
        return products[(a & 0xFF) << 8 | (b & 0xFF)] & 0xFF;
    }

    /** @throws ArithmeticException for 0, which has no inverse */
    public int inverse(int a) {
        if ((a & 0xFF) == 0) {
            throw new ArithmeticException("0 has no inverse in GF(2^8)");
        }
        return inverses[a & 0xFF] & 0xFF;
    }

    public int divide(int a, int b) {
        return multiply(a, inverse(b));
    }

    /** A fresh array of the 256 products {@code c * x} for x = 0..255, indexed by x. */
    public byte[] productsOf(int c) {
        byte[] row = new byte[256];
        System.arraycopy(products, (c & 0xFF) << 8, row, 0, 256);
        return row;
    }

    @Override
    public String toString() {
        return String.format("GF(2^8)/0x%X", polynomial);
    }

    /** Carry-less multiplication reduced modulo the polynomial; used once, to fill the tables. */
    private static int slowMultiply(int a, int b, int polynomial) {
        int product = 0;
        for (int bit = 0; bit < 8; bit++) {
            if ((b >>> bit & 1) != 0) {
                product ^= a << bit;
            }
        }
        for (int bit = 14; bit >= 8; bit--) {
            if ((product >>> bit & 1) != 0) {
                product ^= polynomial << (bit - 8);
            }
        }
        return product;
    }

    /** A factor of degree 1 to 4, or 0 if there is none (a reducible octic has one). */
    private static int smallestFactor(int polynomial) {
        for (int divisor = 2; divisor < 32; divisor++) {
            if (remainder(polynomial, divisor) == 0) {
                return divisor;
            }
        }
        return 0;
    }

    private static int remainder(int dividend, int divisor) {
        int divisorDegree = 31 - Integer.numberOfLeadingZeros(divisor);
        for (int bit = 8; bit >= divisorDegree; bit--) {
            if ((dividend >>> bit & 1) != 0) {
                dividend ^= divisor << (bit - divisorDegree);
            }
        }
        return dividend;
    }
}
