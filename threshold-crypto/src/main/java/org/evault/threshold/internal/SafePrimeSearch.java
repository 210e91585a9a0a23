package org.evault.threshold.internal;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Searches safe primes p = 2p' + 1 with a joint sieve: a window of candidates p' is sieved so that
 * neither p' nor 2p' + 1 has a prime factor below {@link #SIEVE_LIMIT}. A survivor is tested with
 * one Fermat test to base 2 on p' (most fail here), then one on p: if p' is prime and
 * 2^(p-1) = 1 mod p with gcd(2^2 - 1, p) = 1, Pocklington's criterion proves p prime. Finally p'
 * gets BigInteger's Miller-Rabin plus Lucas test.
 *
 * <p>Several workers search independently; the first {@code count} distinct primes win. This is
 * faster than one worker per prime because a worker that finishes early goes on searching.
 */
public final class SafePrimeSearch {
  /** Sieve primes up to 2^20: about 82,000 primes; the sieve then costs a few percent of the tests. */
  public static final int SIEVE_LIMIT = 1 << 20;

  /** Candidates per window (p' = base + 6 i). */
  private static final int WINDOW = 1 << 16;

  private static final int[] SIEVE_PRIMES = smallPrimes(SIEVE_LIMIT);
  /** 6^(-1) mod the sieve prime at the same position. */
  private static final int[] INVERSE_OF_SIX = inversesOfSix(SIEVE_PRIMES);

  private static final BigInteger TWO = BigInteger.TWO;
  private static final BigInteger SIX = BigInteger.valueOf(6);

  /** Progress callback: candidates that reached a Fermat test so far, and primes found. */
  public interface Progress {
    void update(long candidatesTested, int primesFound);
  }

  private SafePrimeSearch() {}

  /**
   * Finds {@code count} distinct safe primes of exactly {@code bits} bits whose two top bits are set
   * (so the product of two has exactly 2 * bits bits).
   *
   * @param threads worker threads, at least 1
   * @throws InterruptedException if the calling thread is interrupted; the workers stop too
   */
  public static List<BigInteger> find(
      int bits, int count, int threads, SecureRandom random, Progress progress)
      throws InterruptedException {
    if (bits < 64) {
      throw new IllegalArgumentException("safe primes need at least 64 bits here, not " + bits);
    }
    if (count < 1 || threads < 1) {
      throw new IllegalArgumentException("count and threads must be positive: " + count + ", " + threads);
    }
    List<BigInteger> found = new ArrayList<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong tested = new AtomicLong();
    Throwable[] failure = new Throwable[1];
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      Thread t = new Thread(() -> {
        try {
          while (!done.get()) {
            BigInteger p = searchWindow(bits, random, done, tested, found, progress);
            if (p == null) {
              continue;
            }
            synchronized (found) {
              if (found.size() < count && !found.contains(p)) {
                found.add(p);
                if (progress != null) {
                  progress.update(tested.get(), found.size());
                }
                if (found.size() == count) {
                  done.set(true);
                }
              }
            }
          }
        } catch (RuntimeException | Error e) {
          synchronized (failure) {
            failure[0] = e;
          }
          done.set(true);
        }
      }, "safe-prime-search-" + w);
      t.setDaemon(true);
      workers.add(t);
    }
    workers.forEach(Thread::start);
    try {
      for (Thread t : workers) {
        t.join();
      }
    } finally {
      done.set(true);
    }
    synchronized (failure) {
      if (failure[0] != null) {
        throw new IllegalStateException("safe-prime search failed", failure[0]);
      }
    }
    synchronized (found) {
      return List.copyOf(found);
    }
  }

  /** One sieved window; returns a safe prime or null when the window holds none. */
  private static BigInteger searchWindow(
      int bits, SecureRandom random, AtomicBoolean done, AtomicLong tested, List<BigInteger> found,
      Progress progress) {
    // p' has bits - 1 bits with its two top bits set, and p' = 5 mod 6: p' odd makes p = 3 mod 4,
    // p' = 2 mod 3 keeps 3 out of both p' and 2p' + 1.
    BigInteger start;
    synchronized (random) {
      start = new BigInteger(bits - 1, random);
    }
    start = start.setBit(bits - 2).setBit(bits - 3);
    BigInteger base = start.subtract(start.mod(SIX)).add(BigInteger.valueOf(5));

    boolean[] composite = new boolean[WINDOW];
    int[] words = toWords(base);
    for (int j = 0; j < SIEVE_PRIMES.length; j++) {
      int l = SIEVE_PRIMES[j];
      long r = remainder(words, l);
      long inv6 = INVERSE_OF_SIX[j];
      // p' = base + 6 i = 0 mod l  <=>  i = -base / 6
      int i0 = (int) (((l - r) % l) * inv6 % l);
      // 2p' + 1 = 0 mod l  <=>  p' = (l - 1) / 2 mod l
      int i1 = (int) ((((l - 1) / 2 - r + l) % l) * inv6 % l);
      for (int i = i0; i < WINDOW; i += l) {
        composite[i] = true;
      }
      for (int i = i1; i < WINDOW; i += l) {
        composite[i] = true;
      }
    }
    BigInteger six = SIX;
    for (int i = 0; i < WINDOW; i++) {
      if (composite[i]) {
        continue;
      }
      if (done.get()) {
        return null;
      }
      BigInteger pPrime = base.add(six.multiply(BigInteger.valueOf(i)));
      long n = tested.incrementAndGet();
      if (progress != null && (n & 127) == 0) {
        // Reported under the lock that guards found, and not once the search is complete, so a
        // listener sees primesFound never go down and the report of the last prime comes last.
        synchronized (found) {
          if (!done.get()) {
            progress.update(tested.get(), found.size());
          }
        }
      }
      if (!TWO.modPow(pPrime.subtract(BigInteger.ONE), pPrime).equals(BigInteger.ONE)) {
        continue;
      }
      BigInteger p = pPrime.shiftLeft(1).add(BigInteger.ONE);
      if (p.bitLength() != bits) {
        return null;
      }
      if (!TWO.modPow(p.subtract(BigInteger.ONE), p).equals(BigInteger.ONE)) {
        continue;
      }
      if (pPrime.isProbablePrime(128)) {
        return p;
      }
    }
    return null;
  }

  /** True when p and (p - 1) / 2 both pass strong probabilistic tests (for key checks and tests). */
  public static boolean isSafePrime(BigInteger p) {
    return p.testBit(0) && p.isProbablePrime(128) && p.shiftRight(1).isProbablePrime(128);
  }

  private static int[] toWords(BigInteger value) {
    int n = (value.bitLength() + 31) / 32;
    int[] words = new int[n];
    for (int i = 0; i < n; i++) {
      words[n - 1 - i] = value.shiftRight(32 * i).intValue();
    }
    return words;
  }

  private static long remainder(int[] words, int l) {
    long r = 0;
    for (int w : words) {
      r = ((r << 32) | (w & 0xffffffffL)) % l;
    }
    return r;
  }

  private static int[] smallPrimes(int limit) {
    boolean[] notPrime = new boolean[limit + 1];
    List<Integer> primes = new ArrayList<>();
    for (int i = 2; i <= limit; i++) {
      if (!notPrime[i]) {
        if (i >= 5) {
          primes.add(i);
        }
        for (long j = (long) i * i; j <= limit; j += i) {
          notPrime[(int) j] = true;
        }
      }
    }
    return primes.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] inversesOfSix(int[] primes) {
    int[] inv = new int[primes.length];
    for (int j = 0; j < primes.length; j++) {
      inv[j] = BigInteger.valueOf(6).modInverse(BigInteger.valueOf(primes[j])).intValue();
    }
    return inv;
  }
}
