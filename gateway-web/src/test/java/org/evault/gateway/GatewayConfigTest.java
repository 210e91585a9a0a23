package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
    private static final String BASE = """
            deployment.n=3
            deployment.t=1
            deployment.m=2
            signature.scheme=shoup
            https.host=127.0.0.1
            https.port=8443
            data.dir=data
            daemon.1.id=node-1
            daemon.1.address=127.0.0.1:7701
            daemon.2.id=node-2
            daemon.2.address=127.0.0.1:7702
            daemon.3.id=node-3
            daemon.3.address=127.0.0.1:7703
            """;

    @Test
    void load_whatInitWrites_withDefaults(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE);
        GatewayConfig c = GatewayConfig.load(dir);
        assertThat(c.n()).isEqualTo(3);
        assertThat(c.m()).isEqualTo(2);
        assertThat(c.daemons()).extracting(GatewayConfig.Daemon::port).containsExactly(7701, 7702, 7703);
        assertThat(c.daemons().get(2).id()).isEqualTo("node-3");
        assertThat(c.caFile()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(c.maxDocumentBytes()).isEqualTo(GatewayConfig.MAX_DOCUMENT_BYTES_DEFAULT);
        assertThat(c.describe()).contains("n = 3").contains("node-1@127.0.0.1:7701");
    }

    @Test
    void load_repairInterval_defaultHourly_zeroTurnsItOff(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE);
        assertThat(GatewayConfig.load(dir).repairInterval()).isEqualTo(java.time.Duration.ofHours(1));
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE + "repair.interval-seconds=0\n");
        assertThat(GatewayConfig.load(dir).describe()).contains("repair off");
    }

    @Test
    void load_limit_isRead(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE + "limits.max-document-bytes=1000\n");
        assertThat(GatewayConfig.load(dir).maxDocumentBytes()).isEqualTo(1000);
    }

    @Test
    void load_webLifetimes_defaultsAndKeys(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE);
        assertThat(GatewayConfig.load(dir).web()).isEqualTo(GatewayConfig.Web.DEFAULTS);
        assertThat(GatewayConfig.Web.DEFAULTS.tokenLifetime()).isEqualTo(java.time.Duration.ofHours(24));
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE + "tokens.lifetime-minutes=5\nsessions.idle-minutes=7\n"
                + "sessions.max-minutes=60\n");
        GatewayConfig.Web web = GatewayConfig.load(dir).web();
        assertThat(web.tokenLifetime()).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(web.sessionIdle()).isEqualTo(java.time.Duration.ofMinutes(7));
        assertThat(web.sessionMax()).isEqualTo(java.time.Duration.ofMinutes(60));
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE + "tokens.lifetime-minutes=0\n");
        assertThatThrownBy(() -> GatewayConfig.load(dir)).hasMessageContaining("tokens.lifetime-minutes");
    }

    @Test
    void load_missingDaemon_namesKey(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE.replace("daemon.3.address=127.0.0.1:7703\n", ""));
        assertThatThrownBy(() -> GatewayConfig.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("daemon.3.address is missing");
    }

    @Test
    void load_unsafeT_refused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE.replace("deployment.t=1", "deployment.t=2"));
        assertThatThrownBy(() -> GatewayConfig.load(dir)).hasMessageContaining("t < n/2");
    }

    @Test
    void load_badScheme_refused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE.replace("scheme=shoup", "scheme=rot13"));
        assertThatThrownBy(() -> GatewayConfig.load(dir)).hasMessageContaining("additive or shoup");
    }

    @Test
    void load_metadata_embeddedByDefault_networkUrlWithPasswordFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE);
        assertThat(GatewayConfig.load(dir).metadata().embedded()).isTrue();
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE + "metadata.url=jdbc:derby://db.example:1527/evault;ssl=basic\n"
                + "metadata.user=evault\nmetadata.password-file=db.password\n");
        GatewayConfig.MetadataDatabase db = GatewayConfig.load(dir).metadata();
        assertThat(db.embedded()).isFalse();
        assertThat(db.passwordFile()).isEqualTo(dir.resolve("db.password"));
        assertThat(GatewayConfig.load(dir).describe()).contains("metadata jdbc:derby://db.example:1527/evault;ssl=basic as evault");
    }

    @Test
    void load_metadata_passwordInUrl_orEmbeddedUrl_refused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE + "metadata.url=jdbc:derby://h:1527/e;user=a;password=hunter2\n");
        assertThatThrownBy(() -> GatewayConfig.load(dir)).hasMessageContaining("must not carry a password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE + "metadata.url=jdbc:derby:/var/db\n");
        assertThatThrownBy(() -> GatewayConfig.load(dir)).hasMessageContaining("Derby network URL");
        Files.writeString(dir.resolve(GatewayConfig.FILE), BASE + "metadata.url=jdbc:derby://h:1527/e\nmetadata.user=a\n");
        assertThatThrownBy(() -> GatewayConfig.load(dir)).hasMessageContaining("go together");
    }

    @Test
    void passwordFile_readableByOthers_refused_ownerOnly_read(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("db.password");
        Files.writeString(file, "s3cret pass\nignored\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretFiles.readPassword(file)).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(SecretFiles.readPassword(file)).containsExactly("s3cret pass".toCharArray());
        Files.writeString(file, "\n");
        assertThatThrownBy(() -> SecretFiles.readPassword(file)).hasMessageContaining("is empty");
    }
}
