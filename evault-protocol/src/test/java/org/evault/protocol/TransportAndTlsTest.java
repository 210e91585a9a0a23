package org.evault.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.net.ssl.SSLException;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransportAndTlsTest {
    @TempDir
    Path dir;

    @Test
    void transports_groupAndChannelClassesAgree() throws Exception {
        EventLoopGroup group = Transports.newGroup(1);
        try {
            assertThat(Transports.name()).isIn("epoll", "nio");
            assertThat(Transports.socketChannel().getSimpleName())
                    .startsWith(Transports.nativeEpoll() ? "Epoll" : "Nio");
            assertThat(Transports.serverSocketChannel().getSimpleName())
                    .startsWith(Transports.nativeEpoll() ? "Epoll" : "Nio");
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void tlsContexts_areTls13Only_andTheServerRequiresClientCertificates() throws Exception {
        TestPki pki = TestPki.create(dir, "CA");
        TlsConfig node = pki.issue("node-1");
        SslContext server = node.serverContext();
        SslContext client = node.clientContext();
        assertThat(server.isServer()).isTrue();
        assertThat(client.isClient()).isTrue();
        var engine = server.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3");
        assertThat(engine.getNeedClientAuth()).isTrue();
        assertThat(client.newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT).getEnabledProtocols())
                .containsExactly("TLSv1.3");
    }

    @Test
    void missingKeyFile_sslExceptionNamingIt() throws Exception {
        TestPki pki = TestPki.create(dir, "CA");
        TlsConfig node = pki.issue("node-1");
        Files.delete(node.privateKey());
        assertThatThrownBy(node::serverContext).isInstanceOf(SSLException.class)
                .hasMessageContaining(node.privateKey().toString());
    }

    @Test
    void garbageCertificate_sslException() throws Exception {
        TestPki pki = TestPki.create(dir, "CA");
        TlsConfig node = pki.issue("node-1");
        Files.writeString(node.certificateChain(), "not a certificate");
        assertThatThrownBy(node::clientContext).isInstanceOf(SSLException.class);
    }
}
