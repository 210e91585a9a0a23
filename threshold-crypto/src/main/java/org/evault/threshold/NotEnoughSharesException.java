package org.evault.threshold;

import java.security.GeneralSecurityException;
import java.util.List;

/**
 * Fewer than k valid shares: no signature or decryption can be made. Names every share found
 * invalid on the way, so the caller can report the liars even when it gets no result.
 */
public final class NotEnoughSharesException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  private final int valid;
  private final int needed;
  private final List<Integer> invalidShareIndices;

  public NotEnoughSharesException(int valid, int needed, List<Integer> invalidShareIndices) {
    super("need " + needed + " valid shares, have " + valid
        + (invalidShareIndices.isEmpty() ? "" : "; invalid shares: " + invalidShareIndices));
    this.valid = valid;
    this.needed = needed;
    this.invalidShareIndices = List.copyOf(invalidShareIndices);
  }

  public int valid() {
    return valid;
  }

  public int needed() {
    return needed;
  }

  /** Indices of the shares proven invalid, ascending. */
  public List<Integer> invalidShareIndices() {
    return invalidShareIndices;
  }
}
