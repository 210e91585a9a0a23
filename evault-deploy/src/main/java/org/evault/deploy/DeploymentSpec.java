package org.evault.deploy;

import org.evault.threshold.ThresholdScheme;

/**
 * What {@code evault init} makes: n daemons of which up to t may be faulty (IDA threshold
 * m = n - t), the signature scheme and key size, and where the nodes listen.
 *
 * @param host            the host name or address the nodes listen on and are reached at
 * @param firstDaemonPort daemon i (1-based) listens on firstDaemonPort + i - 1
 * @param gatewayPort     the gateway's HTTPS port
 */
public record DeploymentSpec(int n, int t, ThresholdScheme scheme, int modulusBits, String host, int firstDaemonPort,
        int gatewayPort) {
    public static final int MAX_DAEMONS = 64;

    public DeploymentSpec {
        if (n < 1 || n > MAX_DAEMONS) {
            throw new IllegalArgumentException("--nodes must be 1 to " + MAX_DAEMONS + ", not " + n);
        }
        if (t < 0) {
            throw new IllegalArgumentException("--faults must not be negative, not " + t);
        }
        if (2 * t >= n) {
            throw new IllegalArgumentException("unsafe: --faults " + t + " with --nodes " + n + " gives t >= n/2; "
                    + "fingerprint majority and the IDA threshold need t < n/2 (at most " + (n - 1) / 2 + " here)");
        }
        if (scheme == null) {
            throw new IllegalArgumentException("a signature scheme is required");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a host is required");
        }
        if (firstDaemonPort < 1 || firstDaemonPort + n - 1 > 65535 || gatewayPort < 1 || gatewayPort > 65535) {
            throw new IllegalArgumentException("ports must lie in 1..65535");
        }
    }

    /** Slices needed to rebuild a document. */
    public int m() {
        return n - t;
    }

    /** Signature shares needed for a receipt: t + 1 with Shoup's scheme, all n with the additive one. */
    public int sharesNeeded() {
        return scheme == ThresholdScheme.ADDITIVE ? n : t + 1;
    }

    public int daemonPort(int index) {
        return firstDaemonPort + index - 1;
    }
}
