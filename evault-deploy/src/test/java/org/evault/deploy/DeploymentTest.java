package org.evault.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Stream;

import org.evault.threshold.DealtKey;
import org.evault.threshold.Dealer;
import org.evault.threshold.KeyFiles;
import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {
    private static DealtKey key;

    @TempDir
    Path dir;

    @BeforeAll
    static void dealOnce() throws InterruptedException {
        key = Dealer.builder().modulusBits(2048).scheme(ThresholdScheme.SHOUP).servers(3).threshold(2)
                .random(new SecureRandom()).build().generate();
    }

    private Path write() throws Exception {
        Path out = dir.resolve("vault");
        Deployment.write(out, new DeploymentSpec(3, 1, ThresholdScheme.SHOUP, 2048, "127.0.0.1", 7701, 8443), key,
                new SecureRandom());
        return out;
    }

    @Test
    void eachNodeFolder_holdsOnlyWhatThatNodeNeeds_ownerOnly() throws Exception {
        Path out = write();
        for (int i = 1; i <= 3; i++) {
            Path node = Deployment.daemonFolder(out, i);
            try (Stream<Path> files = Files.list(node)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("ca.pem", "node.pem",
                        "node.key", "vault.pem", "vault-params.bin", "vault-share.bin", "daemon.properties");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.resolve("node.key")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(node.resolve("vault-share.bin"))))
                    .isEqualTo("rw-------");
            assertThat(KeyFiles.readShare(node.resolve("vault-share.bin"), key.publicKey()).index()).isEqualTo(i);
            assertThat(Files.readString(node.resolve("daemon.properties"))).contains("node.id=node-" + i, "node.index=" + i,
                    "listen.port=" + (7700 + i), "deployment.t=1", "signature.scheme=shoup");
        }
        Path gw = out.resolve("gateway");
        try (Stream<Path> files = Files.list(gw)) {
            assertThat(files.map(p -> p.getFileName().toString())).doesNotContain("vault-share.bin");
        }
        assertThat(Files.readString(gw.resolve("gateway.properties"))).contains("daemon.2.address=127.0.0.1:7702");
        // No private key of the CA anywhere: nobody can mint more node certificates.
        try (Stream<Path> all = Files.walk(out)) {
            assertThat(all.filter(p -> p.toString().contains("ca") && p.toString().endsWith(".key"))).isEmpty();
        }
    }

    @Test
    void nodeCertificates_chainToTheDeploymentCa_andNameTheNode() throws Exception {
        Path out = write();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate ca;
        X509Certificate node;
        try (var in = Files.newInputStream(out.resolve("ca.pem")); var in2 = Files.newInputStream(out.resolve("node-2/node.pem"))) {
            ca = (X509Certificate) cf.generateCertificate(in);
            node = (X509Certificate) cf.generateCertificate(in2);
        }
        node.verify(ca.getPublicKey());
        assertThat(node.getSubjectX500Principal().getName()).contains("CN=node-2");
        assertThat(node.getSubjectAlternativeNames().stream().map(l -> String.valueOf(l.get(1)))).contains("localhost", "127.0.0.1");
        assertThat(ca.getBasicConstraints()).isZero();
    }

    @Test
    void unsafeParameters_areRefusedByName() {
        assertThatThrownBy(() -> new DeploymentSpec(4, 2, ThresholdScheme.SHOUP, 2048, "h", 1, 2))
                .hasMessageContaining("t >= n/2");
        assertThatThrownBy(() -> new DeploymentSpec(3, -1, ThresholdScheme.SHOUP, 2048, "h", 1, 2))
                .hasMessageContaining("--faults must not be negative");
        assertThatThrownBy(() -> new DeploymentSpec(0, 0, ThresholdScheme.SHOUP, 2048, "h", 1, 2))
                .hasMessageContaining("--nodes must be 1 to 64");
    }

    @Test
    void aNonEmptyFolder_isNeverOverwritten() throws Exception {
        Path out = write();
        assertThatThrownBy(() -> Deployment.write(out, new DeploymentSpec(3, 1, ThresholdScheme.SHOUP, 2048, "127.0.0.1",
                7701, 8443), key, new SecureRandom())).hasMessageContaining("exists and is not empty");
        assertThat(List.of(Files.readString(out.resolve("ca.pem")))).isNotEmpty();
    }
}
