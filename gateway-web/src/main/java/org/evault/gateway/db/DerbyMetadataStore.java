package org.evault.gateway.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.evault.gateway.Receipt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MetadataStore} on embedded Apache Derby with plain JDBC (standard SQL only, so the
 * statements carry over to PostgreSQL). The schema is created at the first start and its version
 * kept in {@code evault_schema}; later versions migrate forward from there.
 */
public final class DerbyMetadataStore implements MetadataStore {
    private static final Logger LOG = LoggerFactory.getLogger(DerbyMetadataStore.class);
    static final int SCHEMA_VERSION = 2;
    private static final String UNIQUE_VIOLATION = "23505";
    private static final int MAX_CONNECTIONS = 8;

    private static final String[] SCHEMA_V1 = {
        "CREATE TABLE evault_schema (version INT NOT NULL)",
        "CREATE TABLE accounts (user_id VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(256) NOT NULL,"
            + " address VARCHAR(1024) NOT NULL, phone VARCHAR(64) NOT NULL, email VARCHAR(256) NOT NULL,"
            + " password_hash VARCHAR(512) NOT NULL, created TIMESTAMP NOT NULL)",
        "CREATE TABLE documents (document_id VARCHAR(128) NOT NULL PRIMARY KEY, owner VARCHAR(64) NOT NULL,"
            + " name VARCHAR(1024) NOT NULL, version INT NOT NULL, state VARCHAR(16) NOT NULL, size BIGINT NOT NULL,"
            + " sha256 CHAR(64), deposit_time TIMESTAMP NOT NULL,"
            + " CONSTRAINT documents_version UNIQUE (owner, name, version))",
        "CREATE TABLE receipts (document_id VARCHAR(128) NOT NULL PRIMARY KEY REFERENCES documents (document_id),"
            + " body BLOB(2M) NOT NULL, signature BLOB(64K) NOT NULL)",
        "CREATE TABLE audit_log (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, time TIMESTAMP NOT NULL,"
            + " user_id VARCHAR(64), action VARCHAR(64) NOT NULL, document_id VARCHAR(128),"
            + " outcome VARCHAR(32) NOT NULL, detail VARCHAR(1000))",
        "CREATE INDEX audit_log_user ON audit_log (user_id, id)",
    };

    /** Version 2: API bearer tokens, kept only as their SHA-256. */
    private static final String[] SCHEMA_V2 = {
        "CREATE TABLE api_tokens (token_hash CHAR(64) NOT NULL PRIMARY KEY,"
            + " user_id VARCHAR(64) NOT NULL REFERENCES accounts (user_id), created TIMESTAMP NOT NULL,"
            + " expires TIMESTAMP NOT NULL)",
        "CREATE INDEX api_tokens_expires ON api_tokens (expires)",
    };

    private final String url;
    private final ConnectionPool pool;

    private DerbyMetadataStore(String url) {
        this.url = url;
        this.pool = new ConnectionPool(url, MAX_CONNECTIONS);
    }

    /** Opens (creating if needed) the database in {@code folder}, with Derby's own log beside it. */
    public static DerbyMetadataStore open(Path folder) {
        if (System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.file", folder.resolveSibling(folder.getFileName() + "-derby.log")
                    .toString());
        }
        return openUrl("jdbc:derby:" + folder.toAbsolutePath() + ";create=true");
    }

    /** An in-memory database (tests): gone when closed. */
    public static DerbyMetadataStore inMemory(String name) {
        if (System.getProperty("derby.stream.error.field") == null
                && System.getProperty("derby.stream.error.file") == null) {
            System.setProperty("derby.stream.error.field", DerbyMetadataStore.class.getName() + ".DEV_NULL");
        }
        return openUrl("jdbc:derby:memory:" + name + ";create=true");
    }

    /** Where Derby writes its diagnostics for in-memory databases (nothing worth keeping). */
    public static final java.io.OutputStream DEV_NULL = java.io.OutputStream.nullOutputStream();

    private static DerbyMetadataStore openUrl(String url) {
        DerbyMetadataStore store = new DerbyMetadataStore(url);
        try {
            store.migrate();
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private void migrate() {
        inTransaction(c -> {
            int version = 0;
            try (ResultSet r = c.getMetaData().getTables(null, null, "EVAULT_SCHEMA", null)) {
                if (r.next()) {
                    try (Statement s = c.createStatement(); ResultSet v = s.executeQuery("SELECT version FROM evault_schema")) {
                        version = v.next() ? v.getInt(1) : 0;
                    }
                }
            }
            if (version > SCHEMA_VERSION) {
                throw new IllegalStateException("the metadata database has schema version " + version
                        + ", newer than this gateway's " + SCHEMA_VERSION);
            }
            if (version == SCHEMA_VERSION) {
                return null;
            }
            // Each step moves the schema one version forward, in the same transaction as the
            // version number, so a failed start leaves the database as it was.
            try (Statement s = c.createStatement()) {
                if (version < 1) {
                    for (String sql : SCHEMA_V1) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO evault_schema (version) VALUES (1)");
                }
                if (version < 2) {
                    for (String sql : SCHEMA_V2) {
                        s.execute(sql);
                    }
                }
                s.execute("UPDATE evault_schema SET version = " + SCHEMA_VERSION);
            }
            LOG.info("metadata database at schema version {} (was {})", SCHEMA_VERSION, version);
            return null;
        });
    }

    @Override
    public void addAccount(Account a) throws DuplicateUserException {
        try {
            withConnection(c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO accounts (user_id, name, address, phone,"
                        + " email, password_hash, created) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    p.setString(1, a.userId());
                    p.setString(2, a.name());
                    p.setString(3, a.address());
                    p.setString(4, a.phone());
                    p.setString(5, a.email());
                    p.setString(6, a.passwordHash());
                    p.setTimestamp(7, Timestamp.from(a.created()));
                    p.executeUpdate();
                }
                return null;
            });
        } catch (MetadataStoreException e) {
            if (e.getCause() instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                throw new DuplicateUserException(a.userId());
            }
            throw e;
        }
    }

    @Override
    public Optional<Account> findAccount(String userId) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT user_id, name, address, phone, email, password_hash,"
                    + " created FROM accounts WHERE user_id = ?")) {
                p.setString(1, userId);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Account(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), r.getString(6), r.getTimestamp(7).toInstant()));
                }
            }
        });
    }

    @Override
    public DocumentRecord reserve(String documentId, String owner, String name, Instant depositTime) {
        // Two deposits of one name may race for the next version: the unique constraint lets one
        // win, and the other tries again with the version after it.
        for (int attempt = 0; ; attempt++) {
            try {
                return inTransaction(c -> {
                    int next;
                    try (PreparedStatement p = c.prepareStatement(
                            "SELECT MAX(version) FROM documents WHERE owner = ? AND name = ?")) {
                        p.setString(1, owner);
                        p.setString(2, name);
                        try (ResultSet r = p.executeQuery()) {
                            r.next();
                            next = r.getInt(1) + 1;
                        }
                    }
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO documents (document_id, owner, name,"
                            + " version, state, size, sha256, deposit_time) VALUES (?, ?, ?, ?, ?, -1, NULL, ?)")) {
                        p.setString(1, documentId);
                        p.setString(2, owner);
                        p.setString(3, name);
                        p.setInt(4, next);
                        p.setString(5, DocumentRecord.State.PENDING.name());
                        p.setTimestamp(6, Timestamp.from(depositTime));
                        p.executeUpdate();
                    }
                    return new DocumentRecord(documentId, owner, name, next, DocumentRecord.State.PENDING, -1, null,
                            depositTime);
                });
            } catch (MetadataStoreException e) {
                if (attempt < 20 && e.getCause() instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
                    continue;
                }
                throw e;
            }
        }
    }

    @Override
    public DocumentRecord complete(String documentId, Receipt receipt) {
        return inTransaction(c -> {
            String sha = HexFormat.of().formatHex(receipt.parsed().sha256().toBytes());
            try (PreparedStatement p = c.prepareStatement("UPDATE documents SET state = ?, size = ?, sha256 = ?"
                    + " WHERE document_id = ? AND state = ?")) {
                p.setString(1, DocumentRecord.State.STORED.name());
                p.setLong(2, receipt.parsed().size());
                p.setString(3, sha);
                p.setString(4, documentId);
                p.setString(5, DocumentRecord.State.PENDING.name());
                if (p.executeUpdate() != 1) {
                    throw new IllegalStateException("document " + documentId + " is not a pending deposit");
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO receipts (document_id, body, signature) VALUES (?, ?, ?)")) {
                p.setString(1, documentId);
                p.setBytes(2, receipt.body());
                p.setBytes(3, receipt.signature());
                p.executeUpdate();
            }
            return findById(c, documentId).orElseThrow();
        });
    }

    @Override
    public void abandon(String documentId) {
        withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM documents WHERE document_id = ? AND state = ?")) {
                p.setString(1, documentId);
                p.setString(2, DocumentRecord.State.PENDING.name());
                p.executeUpdate();
            }
            return null;
        });
    }

    private static final String DOCUMENT_COLUMNS =
            "SELECT document_id, owner, name, version, state, size, sha256, deposit_time FROM documents ";

    @Override
    public Optional<DocumentRecord> findDocument(String owner, String name, Integer version) {
        return withConnection(c -> {
            String sql = DOCUMENT_COLUMNS + "WHERE owner = ? AND name = ? AND state = 'STORED'"
                    + (version == null ? " ORDER BY version DESC FETCH FIRST 1 ROWS ONLY" : " AND version = ?");
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, owner);
                p.setString(2, name);
                if (version != null) {
                    p.setInt(3, version);
                }
                try (ResultSet r = p.executeQuery()) {
                    return r.next() ? Optional.of(document(r)) : Optional.<DocumentRecord>empty();
                }
            }
        });
    }

    @Override
    public List<DocumentRecord> listDocuments(String owner) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    DOCUMENT_COLUMNS + "WHERE owner = ? AND state = 'STORED' ORDER BY name, version")) {
                p.setString(1, owner);
                List<DocumentRecord> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(document(r));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public Optional<Receipt> findReceipt(String documentId) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT r.body, r.signature FROM receipts r"
                    + " JOIN documents d ON d.document_id = r.document_id WHERE r.document_id = ?")) {
                p.setString(1, documentId);
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<Receipt>empty();
                    }
                    return Optional.of(new Receipt(r.getBytes(1), r.getBytes(2), List.of()));
                }
            }
        });
    }

    @Override
    public void addToken(ApiToken t) {
        withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO api_tokens (token_hash, user_id, created, expires) VALUES (?, ?, ?, ?)")) {
                p.setString(1, t.hash());
                p.setString(2, t.userId());
                p.setTimestamp(3, Timestamp.from(t.created()));
                p.setTimestamp(4, Timestamp.from(t.expires()));
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<ApiToken> findToken(String hash, Instant now) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT token_hash, user_id, created, expires FROM api_tokens"
                    + " WHERE token_hash = ? AND expires > ?")) {
                p.setString(1, hash);
                p.setTimestamp(2, Timestamp.from(now));
                try (ResultSet r = p.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<ApiToken>empty();
                    }
                    return Optional.of(new ApiToken(r.getString(1), r.getString(2), r.getTimestamp(3).toInstant(),
                            r.getTimestamp(4).toInstant()));
                }
            }
        });
    }

    @Override
    public boolean deleteToken(String hash) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM api_tokens WHERE token_hash = ?")) {
                p.setString(1, hash);
                return p.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int deleteExpiredTokens(Instant now) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM api_tokens WHERE expires <= ?")) {
                p.setTimestamp(1, Timestamp.from(now));
                return p.executeUpdate();
            }
        });
    }

    @Override
    public AuditEntry audit(AuditEntry e) {
        return withConnection(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO audit_log (time, user_id, action, document_id,"
                    + " outcome, detail) VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                p.setTimestamp(1, Timestamp.from(e.time()));
                setNullable(p, 2, e.userId());
                p.setString(3, e.action());
                setNullable(p, 4, e.documentId());
                p.setString(5, e.outcome());
                setNullable(p, 6, e.detail());
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    return new AuditEntry(keys.getLong(1), e.time(), e.userId(), e.action(), e.documentId(),
                            e.outcome(), e.detail());
                }
            }
        });
    }

    @Override
    public List<AuditEntry> auditLog(String userId, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1, not " + maxEntries);
        }
        return withConnection(c -> {
            String sql = "SELECT id, time, user_id, action, document_id, outcome, detail FROM audit_log"
                    + (userId == null ? "" : " WHERE user_id = ?") + " ORDER BY id DESC FETCH FIRST "
                    + maxEntries + " ROWS ONLY";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                if (userId != null) {
                    p.setString(1, userId);
                }
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(new AuditEntry(r.getLong(1), r.getTimestamp(2).toInstant(), r.getString(3),
                                r.getString(4), r.getString(5), r.getString(6), r.getString(7)));
                    }
                }
                return out;
            }
        });
    }

    private static Optional<DocumentRecord> findById(Connection c, String documentId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(DOCUMENT_COLUMNS + "WHERE document_id = ?")) {
            p.setString(1, documentId);
            try (ResultSet r = p.executeQuery()) {
                return r.next() ? Optional.of(document(r)) : Optional.empty();
            }
        }
    }

    private static DocumentRecord document(ResultSet r) throws SQLException {
        return new DocumentRecord(r.getString(1), r.getString(2), r.getString(3), r.getInt(4),
                DocumentRecord.State.valueOf(r.getString(5)), r.getLong(6), r.getString(7),
                r.getTimestamp(8).toInstant());
    }

    private static void setNullable(PreparedStatement p, int index, String value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.VARCHAR);
        } else {
            p.setString(index, value);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        Connection c;
        try {
            c = pool.acquire();
        } catch (SQLException e) {
            throw new MetadataStoreException("cannot get a database connection: " + e.getMessage(), e);
        }
        boolean healthy = false;
        try {
            T result = work.run(c);
            healthy = true;
            return result;
        } catch (SQLException e) {
            healthy = e.getSQLState() != null && e.getSQLState().startsWith("23");
            throw new MetadataStoreException("metadata database: " + e.getMessage(), e);
        } finally {
            pool.release(c, healthy);
        }
    }

    private <T> T inTransaction(Work<T> work) {
        return withConnection(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /** Closes the pool and shuts this database down (Derby then flushes and unlocks it). */
    @Override
    public void close() {
        pool.close();
        String base = url.substring(0, url.indexOf(';'));
        try {
            java.sql.DriverManager.getConnection(base + (base.startsWith("jdbc:derby:memory:") ? ";drop=true" : ";shutdown=true"))
                    .close();
        } catch (SQLException e) {
            // Derby reports a successful shutdown or drop as an exception (08006); anything else is logged.
            if (!"08006".equals(e.getSQLState()) && !"08004".equals(e.getSQLState())) {
                LOG.warn("metadata database shutdown: {}", e.getMessage());
            }
        }
    }
}
