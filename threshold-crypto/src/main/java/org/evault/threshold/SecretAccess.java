package org.evault.threshold;

/**
 * Token that callers pass to read secret key material, so that every such read is explicit and
 * easy to find in review (the idea of Tink's {@code InsecureSecretKeyAccess}).
 */
public final class SecretAccess {
  private static final SecretAccess INSTANCE = new SecretAccess();

  private SecretAccess() {}

  /** The token; reading a secret with it is a deliberate act. */
  public static SecretAccess get() {
    return INSTANCE;
  }
}
