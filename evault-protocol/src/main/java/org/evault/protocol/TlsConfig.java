package org.evault.protocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import javax.net.ssl.SSLException;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/**
 * One node's TLS material, as PEM files: the deployment CA's certificate, this node's certificate
 * chain, and its unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}).
 *
 * <h2>Security guarantees</h2>
 * Both contexts speak TLS 1.3 only, with the JDK provider. The server requires a client
 * certificate and trusts only the deployment CA; the client trusts only that CA for the server.
 * Hostname verification is off on purpose: a daemon is named by its node id, not by the address
 * the gateway reaches it at (which the dealer cannot know when it issues certificates). Instead
 * the hello exchange ({@code HelloHandler}) requires that each side's node id be the CN of the
 * certificate it presented, and {@code DaemonClient} checks that id against the one it expects.
 * So a holder of any certificate from the CA can talk to a daemon, but cannot pose as another node.
 */
public record TlsConfig(Path caCertificate, Path certificateChain, Path privateKey) {
    public static final String TLS_1_3 = "TLSv1.3";

    public TlsConfig {
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /** The conventional files of a node folder: {@code ca.pem}, {@code <name>.pem}, {@code <name>.key}. */
    public static TlsConfig inFolder(Path folder, String name) {
        return new TlsConfig(folder.resolve("ca.pem"), folder.resolve(name + ".pem"), folder.resolve(name + ".key"));
    }

    /**
     * The daemon's context: mutual TLS 1.3, client certificate required.
     *
     * @throws SSLException when a file is missing or does not parse (the message names it)
     */
    public SslContext serverContext() throws SSLException {
        checkReadable();
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(caCertificate.toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .sslProvider(SslProvider.JDK)
                    .protocols(TLS_1_3)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new SSLException("cannot build a TLS server context from " + this + ": " + e.getMessage(), e);
        }
    }

    /**
     * The gateway's context: TLS 1.3, presents this node's certificate, trusts only the CA.
     *
     * @throws SSLException when a file is missing or does not parse (the message names it)
     */
    public SslContext clientContext() throws SSLException {
        checkReadable();
        try {
            return SslContextBuilder.forClient()
                    .keyManager(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(caCertificate.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(TLS_1_3)
                    .endpointIdentificationAlgorithm(null)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new SSLException("cannot build a TLS client context from " + this + ": " + e.getMessage(), e);
        }
    }

    private void checkReadable() throws SSLException {
        for (Path p : new Path[] {caCertificate, certificateChain, privateKey}) {
            if (!Files.isReadable(p)) {
                throw new SSLException("cannot read TLS file " + p);
            }
        }
    }

    @Override
    public String toString() {
        return "TlsConfig[ca " + caCertificate + ", certificate " + certificateChain + ", key " + privateKey + "]";
    }
}
