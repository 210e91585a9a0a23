package org.evault.threshold;

import java.time.Duration;

/**
 * Progress of the safe-prime search.
 *
 * @param candidatesTested sieve survivors that reached a Fermat test so far
 * @param primesFound safe primes found so far (0, 1 or 2)
 * @param elapsed time since key generation started
 */
public record KeyGenProgress(long candidatesTested, int primesFound, Duration elapsed) {
  /** Safe primes a key needs. */
  public static final int PRIMES_NEEDED = 2;
}
