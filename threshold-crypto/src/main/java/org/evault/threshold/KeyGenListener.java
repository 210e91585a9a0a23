package org.evault.threshold;

/**
 * Receives progress of the dealer's safe-prime search: every 128 tested candidates and whenever a
 * prime is found. Called from the search threads, concurrently; keep it short and thread-safe.
 * An exception it throws stops key generation.
 */
@FunctionalInterface
public interface KeyGenListener {
  void progress(KeyGenProgress progress);
}
