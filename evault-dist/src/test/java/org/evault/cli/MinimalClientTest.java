package org.evault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.DealtKey;
import org.evault.threshold.Dealer;
import org.evault.threshold.KeyShare;
import org.evault.threshold.SignatureCombiner;
import org.evault.threshold.SignatureShare;
import org.evault.threshold.ThresholdScheme;
import org.evault.threshold.ThresholdSigner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The paper's minimal client on the pages the gateway serves (contract 4: the key in
 * {@code <pre id="vault-public-key">}, the receipt JSON HTML-escaped in
 * {@code <pre id="evault-receipt">}), with receipts really signed by a dealt threshold key.
 */
class MinimalClientTest {
    private static DealtKey vault;
    private static DealtKey otherVault;

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void keys() throws Exception {
        vault = Dealer.builder().modulusBits(2048).scheme(ThresholdScheme.ADDITIVE).servers(3)
                .random(new SecureRandom()).build().generate();
        otherVault = Dealer.builder().modulusBits(2048).scheme(ThresholdScheme.ADDITIVE).servers(3)
                .random(new SecureRandom()).build().generate();
    }

    @Test
    void extractkey_verify_extractfile_fromSavedPages() throws Exception {
        Path store = dir.resolve("store");
        Path page = write("register.html", "<!doctype html><html><body><form>...</form>\n<p>The vault's key:</p>\n"
                + "<pre id=\"vault-public-key\">" + vault.publicKey().toPem() + "</pre></body></html>");
        assertThat(run("extractkey", "--store", store.toString(), page.toString())).isZero();
        assertThat(out.toString()).contains("vault key " + vault.publicKey().keyId().hex() + " (2048 bits) stored in");
        assertThat(run("extractkey", "--store", store.toString(), page.toString())).isZero();
        assertThat(out.toString()).contains("already stored in");

        byte[] v1 = randomBytes(70_000, 1);
        byte[] v2 = "the second version".getBytes(StandardCharsets.UTF_8);
        Path reply1 = write("reply1.html", depositReply(receiptJson(sign(vault, "notes & <draft>.txt", 1, v1))));
        Path reply2 = write("receipt2.json", receiptJson(sign(vault, "notes & <draft>.txt", 2, v2)));
        assertThat(run("verify", "--store", store.toString(), reply1.toString())).isZero();
        assertThat(out.toString()).contains("valid receipt: notes & <draft>.txt version 1 of alice, 70000 bytes, sha256 "
                + Hash256.digest(v1).hex());
        assertThat(run("verify", "--store", store.toString(), reply2.toString())).isZero();

        // A download of version 1 is recognised as version 1 and written; one of version 2 likewise.
        Path download = write("download.bin", v1);
        Path restored = dir.resolve("restored").resolve("notes.txt");
        assertThat(run("extractfile", "--store", store.toString(), "--name", "notes & <draft>.txt", "--out",
                restored.toString(), download.toString())).isZero();
        assertThat(Files.readAllBytes(restored)).isEqualTo(v1);
        assertThat(out.toString()).contains("notes & <draft>.txt version 1: sha256 " + Hash256.digest(v1).hex()
                + " matches the verified receipt");
        Files.write(download, v2);
        assertThat(run("extractfile", "--store", store.toString(), "--name", "notes & <draft>.txt", "--out",
                restored.toString(), download.toString())).isZero();
        assertThat(Files.readAllBytes(restored)).isEqualTo(v2);

        // ... but not as version 1 when --version 1 is asked for.
        Files.write(restored, v1);
        assertThat(run("extractfile", "--store", store.toString(), "--name", "notes & <draft>.txt", "--version", "1",
                "--out", restored.toString(), download.toString())).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(Files.readAllBytes(restored)).isEqualTo(v1);
    }

    @Test
    void extractfile_refusesAChangedFile_andWritesNothing() throws Exception {
        Path store = storeWithKey();
        byte[] doc = randomBytes(10_000, 2);
        assertThat(run("verify", "--store", store.toString(),
                write("reply.html", depositReply(receiptJson(sign(vault, "data.bin", 1, doc)))).toString())).isZero();
        doc[5000] ^= 1;
        Path changed = write("changed.bin", doc);
        Path target = dir.resolve("data.bin");
        assertThat(run("extractfile", "--store", store.toString(), "--name", "data.bin", "--out", target.toString(),
                changed.toString())).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(err.toString()).contains(changed + " is not data.bin: its sha256 is " + Hash256.digest(doc).hex())
                .contains("nothing written");
        assertThat(target).doesNotExist();
        assertThat(dir.toFile().list()).noneMatch(f -> f.endsWith(".partial"));

        // A truncated download too (same prefix, shorter).
        Path shorter = write("short.bin", java.util.Arrays.copyOf(doc, 9_999));
        assertThat(run("extractfile", "--store", store.toString(), "--name", "data.bin", "--out", target.toString(),
                shorter.toString())).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        // A name never verified is "not found".
        assertThat(run("extractfile", "--store", store.toString(), "--name", "other.bin", "--out", target.toString(),
                changed.toString())).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(err.toString()).contains("no verified receipt for other.bin");
    }

    @Test
    void verify_refusesATamperedReceipt_andRecordsNothing() throws Exception {
        Path store = storeWithKey();
        byte[] doc = randomBytes(1000, 3);
        Receipts.Signed good = sign(vault, "will.txt", 1, doc);
        byte[] body = good.body();
        // Change the certified size in the signed body: the signature no longer matches.
        String text = new String(body, StandardCharsets.UTF_8).replace("\"size\":1000", "\"size\":1001");
        Receipts.Signed tampered = new Receipts.Signed(text.getBytes(StandardCharsets.UTF_8), good.signature());
        assertThat(run("verify", "--store", store.toString(),
                write("tampered.html", depositReply(receiptJson(tampered))).toString()))
                .isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(out.toString()).contains("INVALID: the signature does not match this body").contains("nothing recorded");

        // A receipt validly signed by another vault is not this vault's receipt.
        assertThat(run("verify", "--store", store.toString(),
                write("other.json", receiptJson(sign(otherVault, "will.txt", 1, doc))).toString()))
                .isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(store.resolve(ClientStore.RECEIPTS)).doesNotExist();
        Path download = write("will.dl", doc);
        assertThat(run("extractfile", "--store", store.toString(), "--name", "will.txt", "--out",
                dir.resolve("will.txt").toString(), download.toString())).isEqualTo(ExitCodes.NOT_FOUND);

        // A page with no receipt is a usage error, as is verifying before extractkey.
        assertThat(run("verify", "--store", store.toString(), write("nothing.html", "<html></html>").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("verify", "--store", dir.resolve("empty-store").toString(),
                write("ok.json", receiptJson(good)).toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("run extractkey first");
    }

    @Test
    void extractkey_keepsTheStoredKey_unlessToldToReplaceIt() throws Exception {
        Path store = storeWithKey();
        Path other = write("other.pem", otherVault.publicKey().toPem());
        assertThat(run("extractkey", "--store", store.toString(), other.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("already holds another vault key");
        assertThat(Files.readString(store.resolve(ClientStore.KEY_FILE))).isEqualTo(vault.publicKey().toPem());
        assertThat(run("extractkey", "--store", store.toString(), "--replace", other.toString())).isZero();
        assertThat(Files.readString(store.resolve(ClientStore.KEY_FILE))).isEqualTo(otherVault.publicKey().toPem());
        assertThat(run("extractkey", "--store", store.toString(), write("junk.html", "<pre id=\"vault-public-key\">"
                + "not a key</pre>").toString())).isEqualTo(ExitCodes.USAGE);
    }

    // ------------------------------------------------------------------ helpers

    private Path storeWithKey() throws Exception {
        Path store = dir.resolve("store");
        assertThat(run("extractkey", "--store", store.toString(),
                write("vault.pem", vault.publicKey().toPem()).toString())).isZero();
        return store;
    }

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A receipt for {@code doc} as the daemons would sign it: every additive share, combined. */
    private static Receipts.Signed sign(DealtKey key, String name, int version, byte[] doc) throws Exception {
        List<Hash256> fps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fps.add(Hash256.digest(new byte[] {(byte) i, (byte) version}));
        }
        byte[] body = new ReceiptBody(key.publicKey().keyId().hex(), "alice", name, "doc-" + name.hashCode() + "-" + version,
                version, doc.length, Hash256.digest(doc), DispersalMatrix.systematicCauchy(2, 3), 65536,
                new FingerprintVector(fps), Instant.parse("2026-11-24T12:00:00Z")).toCanonicalBytes();
        List<SignatureShare> shares = new ArrayList<>();
        for (KeyShare s : key.shares()) {
            shares.add(ThresholdSigner.create(s).sign(body));
        }
        return new Receipts.Signed(body, SignatureCombiner.create(key.parameters()).combine(body, shares).bytes());
    }

    private static String receiptJson(Receipts.Signed r) {
        return "{\"body\":\"" + Base64.getEncoder().encodeToString(r.body()) + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(r.signature()) + "\",\"name\":\"x\",\"version\":1,\"documentId\":\"d\"}";
    }

    /** The deposit reply page of contract 4: the receipt JSON, HTML-escaped, in {@code <pre id="evault-receipt">}. */
    private static String depositReply(String json) {
        String escaped = json.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
        return "<!doctype html><html><head><title>Deposited</title></head><body><h1>Deposited</h1>\n"
                + "<p>Save this page: it is your receipt.</p>\n<pre id=\"evault-receipt\">" + escaped + "</pre>\n</body></html>";
    }
}
