package org.evault.protocol.client;

import java.time.Duration;
import java.util.Objects;

import org.evault.protocol.Message;
import org.evault.protocol.ProtocolLimits;

/**
 * How a {@link DaemonClient} behaves. {@link #defaults(String)} gives sane values; the withers
 * change one each.
 *
 * @param nodeId              this side's node id in its Hello: must be the CN of its certificate
 * @param role                this side's role in its Hello (default "gateway")
 * @param expectedNodeId      the daemon's node id, checked against its Hello (and so its certificate
 *                            CN); null accepts any daemon certified by the CA
 * @param connectTimeout      TCP connect, TLS handshake and hello, each (default 15 s: a cold JVM's first
 *                            TLS handshake on a loaded machine took over 5 s in tests)
 * @param requestTimeout      longest a request may go without progress: no frame received or
 *                            sent for it, no byte taken by the reader of a retrieval (default 30 s)
 * @param backoffMin          first delay before reconnecting after a failure (default 100 ms)
 * @param backoffMax          the delay doubles up to this (default 10 s)
 * @param chunkBytes          deposit chunk size (default 256 KiB; at most limits.maxChunkBytes)
 * @param retrieveWindowBytes a retrieval's flow-control window: slice bytes the daemon may send
 *                            ahead of the reader, so also the most a retrieval buffers (default 1 MiB)
 */
public record ClientOptions(String nodeId, String role, String expectedNodeId, Duration connectTimeout,
        Duration requestTimeout, Duration backoffMin, Duration backoffMax, int chunkBytes, int retrieveWindowBytes,
        ProtocolLimits limits) {
    public ClientOptions {
        new Message.Hello(Message.PROTOCOL_VERSION, nodeId, role); // validates both
        Objects.requireNonNull(limits, "limits");
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(backoffMin, "backoffMin");
        positive(backoffMax, "backoffMax");
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffMin " + backoffMin);
        }
        if (chunkBytes < 1 || chunkBytes > limits.maxChunkBytes()) {
            throw new IllegalArgumentException("chunkBytes must be 1 to " + limits.maxChunkBytes() + ", not "
                    + chunkBytes);
        }
        if (retrieveWindowBytes < 1024) {
            throw new IllegalArgumentException("retrieveWindowBytes must be at least 1024, not " + retrieveWindowBytes);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }

    public static ClientOptions defaults(String nodeId) {
        return new ClientOptions(nodeId, "gateway", null, Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofSeconds(10), 256 * 1024, 1 << 20, ProtocolLimits.defaults());
    }

    public ClientOptions withExpectedNodeId(String value) {
        return new ClientOptions(nodeId, role, value, connectTimeout, requestTimeout, backoffMin, backoffMax,
                chunkBytes, retrieveWindowBytes, limits);
    }

    public ClientOptions withConnectTimeout(Duration value) {
        return new ClientOptions(nodeId, role, expectedNodeId, value, requestTimeout, backoffMin, backoffMax,
                chunkBytes, retrieveWindowBytes, limits);
    }

    public ClientOptions withRequestTimeout(Duration value) {
        return new ClientOptions(nodeId, role, expectedNodeId, connectTimeout, value, backoffMin, backoffMax,
                chunkBytes, retrieveWindowBytes, limits);
    }

    public ClientOptions withBackoff(Duration min, Duration max) {
        return new ClientOptions(nodeId, role, expectedNodeId, connectTimeout, requestTimeout, min, max,
                chunkBytes, retrieveWindowBytes, limits);
    }

    public ClientOptions withChunkBytes(int value) {
        return new ClientOptions(nodeId, role, expectedNodeId, connectTimeout, requestTimeout, backoffMin, backoffMax,
                value, retrieveWindowBytes, limits);
    }

    public ClientOptions withLimits(ProtocolLimits value) {
        return new ClientOptions(nodeId, role, expectedNodeId, connectTimeout, requestTimeout, backoffMin, backoffMax,
                chunkBytes, retrieveWindowBytes, value);
    }

    public ClientOptions withRetrieveWindowBytes(int value) {
        return new ClientOptions(nodeId, role, expectedNodeId, connectTimeout, requestTimeout, backoffMin, backoffMax,
                chunkBytes, value, limits);
    }
}
