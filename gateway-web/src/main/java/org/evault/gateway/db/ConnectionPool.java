package org.evault.gateway.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small JDBC connection pool: at most {@code maxConnections} open at once, idle ones kept and
 * reused, a connection that fails validation dropped. Enough for the gateway's short statements,
 * embedded or against a Derby network server; another database could take a fuller pool behind
 * the same {@link MetadataStore}.
 */
final class ConnectionPool implements AutoCloseable {
    private final String url;
    private final Properties credentials;
    private final Semaphore permits;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private boolean closed;

    /** @param credentials JDBC connection properties (user, password), empty for none */
    ConnectionPool(String url, Properties credentials, int maxConnections) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        this.url = url;
        this.credentials = credentials;
        this.permits = new Semaphore(maxConnections, true);
    }

    /** A connection in auto-commit mode; give it back with {@link #release}. */
    Connection acquire() throws SQLException {
        try {
            if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new SQLException("no database connection free within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", e);
        }
        try {
            while (true) {
                Connection c;
                synchronized (this) {
                    if (closed) {
                        throw new SQLException("the metadata store is closed");
                    }
                    c = idle.pollFirst();
                }
                if (c == null) {
                    return DriverManager.getConnection(url, credentials);
                }
                if (c.isValid(2)) {
                    return c;
                }
                closeQuietly(c);
            }
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Returns a connection; one left in a transaction or broken is closed instead of kept. */
    void release(Connection c, boolean healthy) {
        try {
            boolean keep = healthy;
            if (keep) {
                try {
                    keep = !c.isClosed() && c.getAutoCommit();
                } catch (SQLException e) {
                    keep = false;
                }
            }
            synchronized (this) {
                if (keep && !closed) {
                    idle.addFirst(c);
                    return;
                }
            }
            closeQuietly(c);
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            for (Connection c : idle) {
                closeQuietly(c);
            }
            idle.clear();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // Closing a broken connection; nothing to do.
        }
    }
}
