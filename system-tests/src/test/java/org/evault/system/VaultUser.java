package org.evault.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One registered user of a running vault and the checks every system test makes: a deposit
 * answered with a receipt that openssl and JCA verify under the published key and that names
 * exactly the bytes sent, and a retrieval that streams back exactly those bytes.
 */
final class VaultUser {
    static final String PASSWORD = "correct horse battery";

    final GatewayHttp http;
    final String user;
    final String publicKeyPem;
    private final Path scratch;

    private VaultUser(GatewayHttp http, String user, String publicKeyPem, Path scratch) {
        this.http = http;
        this.user = user;
        this.publicKeyPem = publicKeyPem;
        this.scratch = scratch;
    }

    /**
     * Registers {@code user} on {@code vault}, switches to a bearer token where the gateway offers
     * them (else Basic), and fetches the vault's public key PEM.
     */
    static VaultUser register(SystemVault vault, String user, Path scratch) throws Exception {
        GatewayHttp http = vault.http(user, PASSWORD);
        GatewayHttp.Reply registered = http.register(user, PASSWORD);
        assertThat(registered.status()).as("register %s: %s", user, registered.body()).isEqualTo(201);
        http.useBearerTokenIfOffered();
        GatewayHttp.Reply pem = http.publicKeyPem();
        assertThat(pem.status()).isEqualTo(200);
        assertThat(pem.body()).startsWith("-----BEGIN PUBLIC KEY-----");
        return new VaultUser(http, user, pem.body(), scratch);
    }

    /** A deposit that got a verified receipt: the receipt JSON, its signed body, the SHA-256 (hex) sent. */
    record Deposited(SeededDocument document, JsonNode receipt, JsonNode body, String sha256) {
    }

    /** Deposits {@code doc}, expects 201 and a receipt verified by openssl and JCA that names what was sent. */
    Deposited depositVerified(SeededDocument doc) throws Exception {
        return depositVerifiedReply(http.deposit(doc), doc);
    }

    /** The checks of {@link #depositVerified} on a deposit already made. */
    Deposited depositVerifiedReply(GatewayHttp.Deposit d, SeededDocument doc) throws Exception {
        assertThat(d.reply().status()).as("deposit of %s: %s", doc.name(), d.reply().body()).isEqualTo(201);
        assertThat(d.sentBytes()).isEqualTo(doc.size());
        String sha = SeededDocument.hex(d.sentSha256());
        JsonNode receipt = d.reply().json();
        JsonNode body = Receipts.verify(receipt, publicKeyPem, scratch);
        assertThat(receipt.get("name").asText()).isEqualTo(doc.name());
        assertThat(body.get("owner").asText()).isEqualTo(user);
        assertThat(body.get("documentName").asText()).isEqualTo(doc.name());
        assertThat(body.get("documentId").asText()).isEqualTo(receipt.get("documentId").asText());
        assertThat(body.get("size").asLong()).isEqualTo(doc.size());
        assertThat(body.get("sha256").asText()).isEqualTo(sha);
        return new Deposited(doc, receipt, body, sha);
    }

    /** Retrieves {@code d}'s document by name and expects exactly the bytes deposited. */
    void assertRetrievesExactly(Deposited d) throws Exception {
        GatewayHttp.Retrieved r = http.retrieve(d.document().name());
        assertThat(r.status()).as("retrieval of %s: %s", d.document().name(), r.error()).isEqualTo(200);
        assertThat(r.error()).as("retrieval of %s", d.document().name()).isNull();
        assertThat(r.length()).as("length of %s", d.document().name()).isEqualTo(d.document().size());
        assertThat(SeededDocument.hex(r.sha256())).as("SHA-256 of %s", d.document().name()).isEqualTo(d.sha256());
    }

    /** The listing's entries (every version) for {@code name}. */
    List<JsonNode> listed(String name) throws Exception {
        GatewayHttp.Reply list = http.list();
        assertThat(list.status()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : list.json().get("documents")) {
            if (e.get("name").asText().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
