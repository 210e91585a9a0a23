package org.evault.ida.internal;

import java.lang.reflect.Field;

/**
 * Where a byte of a Java array sits relative to a 64-byte cache line, so that the vector kernel
 * can start its loads on a line boundary: a 64-byte load that straddles two lines costs two cache
 * accesses. Measured (JDK 17, AVX-512, docs/performance.md, "Aligned loads"): encoding 5% to 20%
 * faster with the inputs aligned, decoding within about 5% either way; aligning the outputs as
 * well added little.
 *
 * <p>The JDK has no supported way to ask for the address of a heap array (the collector moves
 * objects), so this reads the reference itself through {@code sun.misc.Unsafe}: only a read of an
 * element of an {@code Object[]} made for the purpose, never a write. The answer is a hint and
 * only a hint: if the collector moves the array meanwhile, or the JVM does not tell, the kernel
 * computes the same bytes, only unaligned. It is off on JDK 24 and later, which warn on the first
 * use of Unsafe's memory access (JEP 498), and wherever the self-check below fails.
 */
final class ArrayAddresses {
    static final int LINE = 64;

    private static final sun.misc.Unsafe UNSAFE = unsafeOrNull();
    private static final long OBJECTS_BASE = UNSAFE == null ? 0 : UNSAFE.arrayBaseOffset(Object[].class);
    private static final long BYTES_BASE = UNSAFE == null ? 0 : UNSAFE.arrayBaseOffset(byte[].class);
    /** Bytes per reference in an Object[]: 4 with compressed references, else 8. */
    private static final int REFERENCE_BYTES = UNSAFE == null ? 0 : UNSAFE.arrayIndexScale(Object[].class);
    /** How far a reference is shifted to give an address, or -1 when unknown. */
    private static final int SHIFT = UNSAFE == null ? -1 : referenceShift();

    private ArrayAddresses() {}

    /** Whether {@link #lineOffset} answers on this JVM. */
    static boolean known() {
        return SHIFT >= 0;
    }

    /**
     * The address of {@code array[index]} modulo 64, or -1 when this JVM does not tell. Valid at the
     * moment of the call; a collection may move the array.
     */
    static int lineOffset(byte[] array, int index) {
        if (SHIFT < 0) {
            return -1;
        }
        // The heap base of compressed references is aligned far beyond 64 bytes, so it drops out.
        return (int) ((address(array) + BYTES_BASE + index) & (LINE - 1));
    }

    private static long address(Object o) {
        return reference(o) << SHIFT;
    }

    private static long reference(Object o) {
        Object[] holder = {o};
        return REFERENCE_BYTES == 8
                ? UNSAFE.getLong(holder, OBJECTS_BASE)
                : UNSAFE.getInt(holder, OBJECTS_BASE) & 0xFFFF_FFFFL;
    }

    /**
     * The shift of references: 0 for full-width references and for compressed ones when the heap
     * lies below 4 GiB, else log2 of the object alignment (3 by default). Found, and checked, by
     * allocating arrays one after another, which a thread-local allocation buffer places back to
     * back, and taking the shift under which most pairs lie exactly one object size apart; -1 if
     * none does, and then the kernel does not align.
     */
    private static int referenceShift() {
        if (BYTES_BASE <= 0 || BYTES_BASE >= LINE) {
            return -1;
        }
        // Objects of 64 bytes, header included: a multiple of any object alignment up to 64, so
        // with no padding between them.
        int payload = (int) (LINE - BYTES_BASE);
        int pairs = 64;
        int[] votes = new int[REFERENCE_BYTES == 8 ? 1 : 8];
        for (int k = 0; k < pairs; k++) {
            byte[] first = new byte[payload];
            byte[] second = new byte[payload];
            long distance = reference(second) - reference(first);
            for (int s = 0; s < votes.length; s++) {
                if ((distance << s) == LINE) {
                    votes[s]++;
                }
            }
        }
        for (int s = 0; s < votes.length; s++) {
            if (votes[s] > pairs / 2) {
                return s;
            }
        }
        return -1;
    }

    private static sun.misc.Unsafe unsafeOrNull() {
        if (Runtime.version().feature() >= 24) {
            return null;
        }
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return (sun.misc.Unsafe) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
