package org.clustermail.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The node's Prometheus endpoint, {@code GET /metrics} in the text exposition format, on the JDK's own HTTP
 * server (one small endpoint needs no web framework). Lifecycle: {@link #start()}, {@link #stop()}. Thread-safe.
 */
final class MetricsEndpoint {

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    MetricsEndpoint(PrometheusMeterRegistry registry, String host, int port) throws IOException {
        this.registry = registry;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        server.createContext("/metrics", this::scrape);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void scrape(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
