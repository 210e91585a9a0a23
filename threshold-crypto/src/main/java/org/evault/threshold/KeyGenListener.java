package org.evault.threshold;

/**
 * Receives progress of the dealer's safe-prime search: every 128 tested candidates and whenever a
 * prime is found. Called from the search threads, but one call at a time and in order: the counts
 * never go down, and the last call reports {@link KeyGenProgress#PRIMES_NEEDED} primes. The search
 * waits while it runs, so keep it short. An exception it throws stops key generation.
 */
@FunctionalInterface
public interface KeyGenListener {
  void progress(KeyGenProgress progress);
}
