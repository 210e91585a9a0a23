package org.evault.threshold;

/** How the vault key is shared among the n servers. */
public enum ThresholdScheme {
  /**
   * The e-Vault paper's scheme (section 2.4): additive shares d_1 + ... + d_n = d mod phi(N);
   * all n partial signatures are needed, and a wrong one can be detected but not attributed.
   */
  ADDITIVE(1),
  /**
   * Shoup, "Practical Threshold Signatures" (EUROCRYPT 2000): any k = t + 1 of n shares, each with a
   * proof of correctness checked against the dealer's verification keys, so a liar is named. With
   * k = n this is also the n-out-of-n scheme with verification keys.
   */
  SHOUP(2);

  private final int code;

  ThresholdScheme(int code) {
    this.code = code;
  }

  /** The byte that stands for the scheme in key files. */
  public int code() {
    return code;
  }

  /** The scheme for a key-file byte. */
  public static ThresholdScheme fromCode(int code) {
    for (ThresholdScheme s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown threshold scheme code: " + code);
  }
}
