package org.evault.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a receipt as an outsider would: with {@code openssl dgst -sha256 -verify} against the PEM
 * the gateway publishes, and with the JDK's SHA256withRSA, then reads what the signed body says.
 */
final class Receipts {
    private Receipts() {
    }

    /**
     * Asserts that {@code receipt} (the API's receipt JSON) carries a signature over its body that
     * both openssl and JCA accept under {@code publicKeyPem}, and returns the parsed signed body.
     */
    static JsonNode verify(JsonNode receipt, String publicKeyPem, Path scratch) throws Exception {
        byte[] body = Base64.getDecoder().decode(receipt.get("body").asText());
        byte[] signature = Base64.getDecoder().decode(receipt.get("signature").asText());
        assertThat(verifiesWithOpenssl(body, signature, publicKeyPem, scratch))
                .as("openssl dgst -sha256 -verify on the receipt of %s", receipt.get("name")).isTrue();
        Signature jca = Signature.getInstance("SHA256withRSA");
        jca.initVerify(publicKey(publicKeyPem));
        jca.update(body);
        assertThat(jca.verify(signature)).as("SHA256withRSA on the receipt of %s", receipt.get("name")).isTrue();
        return GatewayHttp.JSON.readTree(body);
    }

    /** Runs openssl on files in {@code scratch}; true only for exit code 0 and "Verified OK". */
    static boolean verifiesWithOpenssl(byte[] body, byte[] signature, String publicKeyPem, Path scratch) throws Exception {
        Path dir = Files.createTempDirectory(scratch, "receipt-");
        Path bodyFile = Files.write(dir.resolve("receipt.body"), body);
        Path sigFile = Files.write(dir.resolve("receipt.sig"), signature);
        Path pemFile = Files.writeString(dir.resolve("vault.pem"), publicKeyPem);
        Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", pemFile.toString(), "-signature",
                sigFile.toString(), bodyFile.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("openssl did not finish within 30 s");
        }
        return p.exitValue() == 0 && out.contains("Verified OK");
    }

    static PublicKey publicKey(String pem) throws Exception {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
