package org.evault.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** Jetty's own refusals and escaped exceptions get the gateway's page, without internals. */
class GatewayErrorHandlerTest {
    @Test
    void escapedException_andAmbiguousUri_arePlainPages() throws Exception {
        Server server = new Server();
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        server.addConnector(c);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) {
                throw new IllegalStateException("secret internals");
            }
        }), "/");
        context.setErrorHandler(new GatewayErrorHandler());
        server.setErrorHandler(new GatewayErrorHandler());
        server.setHandler(context);
        server.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + c.getLocalPort();
            for (String path : new String[] {"/boom", "/a%2Fb/c"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isBetween(400, 500);
                assertThat(r.body()).as(path).contains("<!DOCTYPE html>").doesNotContain("secret")
                        .doesNotContain("Exception").doesNotContainIgnoringCase("jetty");
            }
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/a%2Fb")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(400);
            assertThat(api.body()).isEqualTo("{\"error\":\"bad_request\",\"message\":\"Bad Request\"}");
            // A request Jetty's parser refuses (a bad header) says only the status.
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", c.getLocalPort())) {
                raw.setSoTimeout(10_000);
                raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                String answer = new String(raw.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("Exception").doesNotContain("at org.");
            }
        } finally {
            server.stop();
        }
    }
}
