package org.evault.threshold;

import java.security.GeneralSecurityException;

/** A share, share proof or share file that is wrong; {@link #shareIndex()} names its server. */
public final class InvalidShareException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  private final int shareIndex;

  public InvalidShareException(int shareIndex, String message) {
    super("share " + shareIndex + ": " + message);
    this.shareIndex = shareIndex;
  }

  /** The index (1..n) of the server whose share is invalid. */
  public int shareIndex() {
    return shareIndex;
  }
}
