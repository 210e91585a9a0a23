package org.evault.threshold;

import java.security.GeneralSecurityException;

/**
 * The combined value did not verify and the scheme cannot say which share is wrong: additive
 * shares carry no proofs. Use {@link ThresholdScheme#SHOUP} with k = n to have the liar named.
 */
public final class CombinationFailedException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public CombinationFailedException(String message) {
    super(message);
  }
}
