package org.evault.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.evault.gateway.Receipt;
import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.evault.protocol.receipt.ReceiptBody;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DerbyMetadataStoreTest {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private DerbyMetadataStore store;

    @BeforeEach
    void open() {
        store = DerbyMetadataStore.inMemory("test" + DATABASES.incrementAndGet());
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Account account(String id) {
        return new Account(id, "Alice Example", "1 Main St", "+1 555 0100", id + "@example.org",
                "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    static Receipt receipt(DocumentRecord d, long size) {
        List<Hash256> f = List.of(Hash256.digest(new byte[] {1}), Hash256.digest(new byte[] {2}),
                Hash256.digest(new byte[] {3}));
        ReceiptBody body = new ReceiptBody("ab".repeat(32), d.owner(), d.name(), d.documentId(), d.version(), size,
                Hash256.digest(new byte[] {9}), DispersalMatrix.systematicCauchy(2, 3), 65536, new FingerprintVector(f),
                d.depositTime());
        return new Receipt(body.toCanonicalBytes(), new byte[] {1, 2, 3}, List.of(1, 2, 3));
    }

    @Test
    void accounts_addFind_duplicateRefused() throws Exception {
        Account a = account("alice");
        store.addAccount(a);
        assertThat(store.findAccount("alice")).contains(a);
        assertThat(store.findAccount("bob")).isEmpty();
        assertThatThrownBy(() -> store.addAccount(account("alice"))).isInstanceOf(DuplicateUserException.class);
    }

    @Test
    void account_toString_leavesOutTheHash() {
        assertThat(account("alice").toString()).doesNotContain("argon2");
    }

    @Test
    void versions_countUpPerOwnerAndName_onlyStoredAreVisible() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DocumentRecord v1 = store.reserve("d1", "alice", "notes.txt", now);
        DocumentRecord v2 = store.reserve("d2", "alice", "notes.txt", now);
        DocumentRecord other = store.reserve("d3", "bob", "notes.txt", now);
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(other.version()).isEqualTo(1);
        assertThat(store.findDocument("alice", "notes.txt", null)).isEmpty();

        DocumentRecord stored = store.complete("d1", receipt(v1, 10));
        assertThat(stored.state()).isEqualTo(DocumentRecord.State.STORED);
        assertThat(stored.size()).isEqualTo(10);
        assertThat(stored.sha256()).hasSize(64);
        assertThat(store.findDocument("alice", "notes.txt", null)).contains(stored);
        store.complete("d2", receipt(v2, 20));
        assertThat(store.findDocument("alice", "notes.txt", null).orElseThrow().version()).isEqualTo(2);
        assertThat(store.findDocument("alice", "notes.txt", 1).orElseThrow().documentId()).isEqualTo("d1");
        assertThat(store.findDocument("alice", "notes.txt", 3)).isEmpty();
        assertThat(store.findDocument("bob", "notes.txt", null)).isEmpty();
        assertThat(store.listDocuments("alice")).extracting(DocumentRecord::documentId).containsExactly("d1", "d2");
        assertThat(store.listDocuments("bob")).isEmpty();
    }

    @Test
    void receipt_roundTripsByteExact() {
        DocumentRecord d = store.reserve("d1", "alice", "a", Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Receipt r = receipt(d, 5);
        store.complete("d1", r);
        Receipt back = store.findReceipt("d1").orElseThrow();
        assertThat(back.body()).isEqualTo(r.body());
        assertThat(back.signature()).isEqualTo(r.signature());
        assertThat(store.findReceipt("nope")).isEmpty();
    }

    @Test
    void complete_twice_refused_abandon_dropsOnlyPending() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DocumentRecord d = store.reserve("d1", "alice", "a", now);
        store.complete("d1", receipt(d, 1));
        assertThatThrownBy(() -> store.complete("d1", receipt(d, 1))).isInstanceOf(IllegalStateException.class);
        store.abandon("d1");
        assertThat(store.findDocument("alice", "a", 1)).isPresent();

        store.reserve("d2", "alice", "a", now);
        store.abandon("d2");
        // The abandoned version number is free again.
        assertThat(store.reserve("d3", "alice", "a", now).version()).isEqualTo(2);
    }

    /** Prevents two concurrent deposits of one name from getting the same version. */
    @Test
    void reserve_concurrent_distinctVersions() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<DocumentRecord>> futures = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "c" + i;
                futures.add(pool.submit(() -> store.reserve(id, "alice", "same", Instant.now())));
            }
            Set<Integer> versions = ConcurrentHashMap.newKeySet();
            for (Future<DocumentRecord> f : futures) {
                versions.add(f.get().version());
            }
            assertThat(versions).hasSize(40).contains(1, 40);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void audit_appendsAndListsNewestFirst() {
        store.audit(AuditEntry.of("alice", "register", null, "ok", null));
        store.audit(AuditEntry.of("alice", "deposit", "d1", "ok", "3 bytes"));
        store.audit(AuditEntry.of(null, "login", null, "denied", "unknown user"));
        List<AuditEntry> alice = store.auditLog("alice", 10);
        assertThat(alice).extracting(AuditEntry::action).containsExactly("deposit", "register");
        assertThat(alice.get(0).id()).isGreaterThan(alice.get(1).id());
        assertThat(store.auditLog(null, 2)).hasSize(2);
    }

    @Test
    void onDisk_schemaCreatedOnce_dataSurvivesReopen(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("metadata");
        try (DerbyMetadataStore s = DerbyMetadataStore.open(db)) {
            s.addAccount(account("alice"));
        }
        try (DerbyMetadataStore s = DerbyMetadataStore.open(db)) {
            assertThat(s.findAccount("alice")).isPresent();
        }
    }

    @Test
    void tokens_foundByHashUntilExpiry_thenGone() throws Exception {
        store.addAccount(account("alice"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String live = "a".repeat(64);
        String old = "b".repeat(64);
        store.addToken(new ApiToken(live, "alice", now, now.plusSeconds(60)));
        store.addToken(new ApiToken(old, "alice", now.minusSeconds(120), now.minusSeconds(60)));
        assertThat(store.findToken(live, now)).hasValueSatisfying(t -> assertThat(t.userId()).isEqualTo("alice"));
        assertThat(store.findToken(live, now.plusSeconds(60))).isEmpty();
        assertThat(store.findToken(old, now)).isEmpty();
        assertThat(store.deleteExpiredTokens(now)).isEqualTo(1);
        assertThat(store.deleteToken(live)).isTrue();
        assertThat(store.deleteToken(live)).isFalse();
        assertThat(store.findToken(live, now)).isEmpty();
    }

    /** A database made by the first gateway (schema 1) gains the token table at the next start. */
    @Test
    void schemaVersion1_migratesForward_keepingData(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("metadata");
        String url = "jdbc:derby:" + db.toAbsolutePath();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url + ";create=true");
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE evault_schema (version INT NOT NULL)");
            s.execute("INSERT INTO evault_schema (version) VALUES (1)");
            s.execute("CREATE TABLE accounts (user_id VARCHAR(64) NOT NULL PRIMARY KEY, name VARCHAR(256) NOT NULL,"
                    + " address VARCHAR(1024) NOT NULL, phone VARCHAR(64) NOT NULL, email VARCHAR(256) NOT NULL,"
                    + " password_hash VARCHAR(512) NOT NULL, created TIMESTAMP NOT NULL)");
            s.execute("INSERT INTO accounts VALUES ('alice', 'A', 'B', 'C', 'D', 'h', CURRENT_TIMESTAMP)");
        }
        try {
            java.sql.DriverManager.getConnection(url + ";shutdown=true").close();
        } catch (java.sql.SQLException e) {
            assertThat(e.getSQLState()).isEqualTo("08006");
        }
        try (DerbyMetadataStore s = DerbyMetadataStore.open(db)) {
            assertThat(s.findAccount("alice")).isPresent();
            Instant now = Instant.now();
            s.addToken(new ApiToken("c".repeat(64), "alice", now, now.plusSeconds(60)));
            assertThat(s.findToken("c".repeat(64), now)).isPresent();
        }
        try (DerbyMetadataStore s = DerbyMetadataStore.open(db)) {
            assertThat(s.findToken("c".repeat(64), Instant.now())).isPresent();
        }
    }
}
