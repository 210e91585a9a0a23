package org.evault.threshold;

import java.security.GeneralSecurityException;

/** A public-key, parameters or share file that is malformed, truncated or of another key. */
public final class KeyFileException extends GeneralSecurityException {
  private static final long serialVersionUID = 1L;

  public KeyFileException(String message) {
    super(message);
  }

  public KeyFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
