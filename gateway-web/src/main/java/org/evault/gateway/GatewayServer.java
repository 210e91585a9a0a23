package org.evault.gateway;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.SecuredRedirectHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.evault.gateway.db.MetadataStore;
import org.evault.gateway.servlet.ApiServlet;
import org.evault.gateway.web.GatewayErrorHandler;
import org.evault.gateway.web.WebServlet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTPS server (Jetty 12, ee11 servlets): TLS with the gateway certificate from
 * the deployment (node.pem + node.key, issued by the deployment CA), HSTS, the JSON API under
 * {@code /api/v1}, the HTML pages everywhere else, and optionally a plain HTTP port that only redirects to HTTPS. Made with {@link #start}, stopped with {@link #close}.
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private static final long HSTS_SECONDS = TimeUnit.DAYS.toSeconds(365);

    private final Server server;
    private final ServerConnector https;
    private final ServerConnector plain;

    private GatewayServer(Server server, ServerConnector https, ServerConnector plain) {
        this.server = server;
        this.https = https;
        this.plain = plain;
    }

    /**
     * Starts serving on {@code config.httpsHost():config.httpsPort()} (port 0: any free port, see
     * {@link #port()}). The caller keeps ownership of {@code vault} and {@code store}.
     */
    public static GatewayServer start(GatewayConfig config, VaultClient vault, MetadataStore store,
            PasswordHasher hasher) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("gateway-http");
        Server server = new Server(threads);

        SslContextFactory.Server ssl = sslContext(config);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setStsMaxAge(HSTS_SECONDS);
        http.addCustomizer(secure);
        ServerConnector https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        https.setHost(config.httpsHost());
        https.setPort(config.httpsPort());
        server.addConnector(https);
        ServerConnector plain = null;
        if (config.httpPort() >= 0) {
            // Plain HTTP only redirects to HTTPS (SecuredRedirectHandler reads the secure port from here).
            HttpConfiguration redirect = new HttpConfiguration();
            redirect.setSendServerVersion(false);
            redirect.setSecureScheme("https");
            redirect.setSecurePort(config.httpsPort());
            plain = new ServerConnector(server, new HttpConnectionFactory(redirect));
            plain.setHost(config.httpsHost());
            plain.setPort(config.httpPort());
            server.addConnector(plain);
        }

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        GatewayConfig.Web web = config.web();
        Accounts accounts = new Accounts(store, hasher, new LoginThrottle(Clock.systemUTC(), web.loginFailuresPerUser(),
                web.loginFailuresPerAddress(), web.loginWindow(), LoginThrottle.DEFAULT_MAX_ENTRIES));
        ApiTokens tokens = new ApiTokens(store, config.web().tokenLifetime(), Clock.systemUTC());
        Documents documents = new Documents(vault, store);
        context.addServlet(new ServletHolder("api", new ApiServlet(vault, store, accounts, tokens, documents)),
                "/api/v1/*");
        context.addServlet(new ServletHolder("pages", new WebServlet(vault, store, accounts, documents, config.web())),
                "/");
        context.setErrorHandler(new GatewayErrorHandler());
        server.setErrorHandler(new GatewayErrorHandler());
        server.setHandler(new SecuredRedirectHandler(context));
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        if (plain != null) {
            // With port 0 the HTTPS port is known only now.
            plain.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration()
                    .setSecurePort(https.getLocalPort());
        }
        GatewayServer g = new GatewayServer(server, https, plain);
        LOG.info("gateway listening on https://{}:{}/ ({})", config.httpsHost(), g.port(), config.describe());
        return g;
    }

    private static SslContextFactory.Server sslContext(GatewayConfig config)
            throws IOException, GeneralSecurityException {
        PemKeyStore.Loaded ks = PemKeyStore.load(config.certificateFile(), config.caFile(), config.privateKeyFile());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(ks.keyStore());
        ssl.setKeyStorePassword(ks.password());
        ssl.setKeyManagerPassword(ks.password());
        ssl.setCertAlias(PemKeyStore.ALIAS);
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        return ssl;
    }

    /** The port actually listened on. */
    public int port() {
        return https.getLocalPort();
    }

    /** The plain HTTP (redirect) port, or -1 when there is none. */
    public int httpPort() {
        return plain == null ? -1 : plain.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTPS server failed: " + e, e);
        }
    }
}
