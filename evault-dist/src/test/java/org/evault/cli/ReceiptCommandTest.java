package org.evault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.evault.ida.DispersalMatrix;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.evault.protocol.receipt.ReceiptBody;
import org.evault.threshold.DealtKey;
import org.evault.threshold.Dealer;
import org.evault.threshold.KeyFiles;
import org.evault.threshold.KeyShare;
import org.evault.threshold.SignatureCombiner;
import org.evault.threshold.SignatureShare;
import org.evault.threshold.ThresholdScheme;
import org.evault.threshold.ThresholdSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class ReceiptCommandTest {
    @TempDir
    Path dir;

    @Test
    void verify_acceptsAJointlySignedReceipt_andRefusesATamperedOne() throws Exception {
        DealtKey key = Dealer.builder().modulusBits(2048).scheme(ThresholdScheme.ADDITIVE).servers(3)
                .random(new SecureRandom()).build().generate();
        Path pem = dir.resolve("vault.pem");
        KeyFiles.writePublicKey(pem, key.publicKey());
        List<Hash256> fps = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            fps.add(Hash256.digest(new byte[] {(byte) i}));
        }
        byte[] body = new ReceiptBody(key.publicKey().keyId().hex(), "alice", "notes.txt", "d-1", 2, 42,
                Hash256.digest(new byte[42]), DispersalMatrix.systematicCauchy(2, 3), 65536, new FingerprintVector(fps),
                Instant.parse("2026-11-24T12:00:00Z")).toCanonicalBytes();
        List<SignatureShare> shares = new ArrayList<>();
        for (KeyShare s : key.shares()) {
            shares.add(ThresholdSigner.create(s).sign(body));
        }
        byte[] signature = SignatureCombiner.create(key.parameters()).combine(body, shares).bytes();
        Path receipt = dir.resolve("receipt.json");
        Files.writeString(receipt, "{\"name\":\"notes.txt\",\"body\":\"" + Base64.getEncoder().encodeToString(body)
                + "\",\"signature\":\"" + Base64.getEncoder().encodeToString(signature) + "\"}");

        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("receipt", "verify", "--key", pem.toString(), receipt.toString())).isZero();
        assertThat(out.toString()).contains("valid receipt: notes.txt version 2 of alice, 42 bytes");

        // The same bytes as openssl would take them.
        Files.write(dir.resolve("receipt.body"), body);
        Files.write(dir.resolve("receipt.sig"), signature);
        assertThat(cl.execute("receipt", "verify", "--key", pem.toString(), "--body", dir.resolve("receipt.body").toString(),
                "--signature", dir.resolve("receipt.sig").toString())).isZero();

        signature[10] ^= 1;
        Files.write(dir.resolve("receipt.sig"), signature);
        assertThat(cl.execute("receipt", "verify", "--key", pem.toString(), "--body", dir.resolve("receipt.body").toString(),
                "--signature", dir.resolve("receipt.sig").toString())).isEqualTo(1);
        assertThat(out.toString()).contains("INVALID: the signature does not match this body");
    }
}
