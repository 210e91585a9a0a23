package org.evault.gateway.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.derby.drda.NetworkServerControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata store against a real Derby network server in its own process, with Derby's
 * built-in user authentication switched on (the option for a database the gateway does not own).
 */
class DerbyNetworkServerTest {
    private static final String USER = "evault";
    private static final String PASSWORD = "network-secret-1";

    @TempDir
    static Path home;
    private static Process server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String derbyJars = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(p -> Path.of(p).getFileName().toString().startsWith("derby"))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dderby.system.home=" + home, "-Dderby.connection.requireAuthentication=true",
                "-Dderby.authentication.provider=BUILTIN", "-Dderby.user." + USER + "=" + PASSWORD,
                "-cp", derbyJars, "org.apache.derby.drda.NetworkServerControl", "start", "-h", "127.0.0.1",
                "-p", Integer.toString(port)));
        server = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("server.log").toFile()).start();
        NetworkServerControl control = new NetworkServerControl(InetAddress.getLoopbackAddress(), port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                control.ping();
                return;
            } catch (Exception notYet) {
                if (!server.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Derby network server did not start; see " + home.resolve("server.log"),
                            notYet);
                }
                Thread.onSpinWait();
            }
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    private static String url() {
        return "jdbc:derby://127.0.0.1:" + port + "/evault";
    }

    @Test
    void schemaCreatedOnServer_dataSurvivesReconnect_serverKeepsRunningAfterClose() throws Exception {
        try (DerbyMetadataStore s = DerbyMetadataStore.openNetwork(url(), USER, PASSWORD.toCharArray())) {
            s.addAccount(DerbyMetadataStoreTest.account("carol"));
        }
        try (DerbyMetadataStore s = DerbyMetadataStore.openNetwork(url(), USER, PASSWORD.toCharArray())) {
            assertThat(s.findAccount("carol")).isPresent();
            assertThatThrownBy(() -> s.addAccount(DerbyMetadataStoreTest.account("carol")))
                    .isInstanceOf(DuplicateUserException.class);
        }
        assertThat(server.isAlive()).isTrue();
    }

    @Test
    void wrongPassword_isRefusedWithTheServersReason_andTheMessageHoldsNoPassword() {
        assertThatThrownBy(() -> DerbyMetadataStore.openNetwork(url(), USER, "not-the-password".toCharArray()))
                .hasStackTraceContaining("Connection authentication failure")
                .satisfies(e -> assertThat(e.toString()).doesNotContain("not-the-password"));
    }

    @Test
    void embeddedUrl_isNotTakenForANetworkOne() {
        assertThatThrownBy(() -> DerbyMetadataStore.openNetwork("jdbc:derby:/tmp/x", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Derby network URL");
    }
}
