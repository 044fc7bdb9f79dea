package org.clustermail.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The node's Prometheus endpoint, {@code GET /metrics} in the text exposition format (and small JSON documents
 * beside it, such as {@code /status}), on the JDK's own HTTP
 * server (one small endpoint needs no web framework). Lifecycle: {@link #start()}, {@link #stop()}. Thread-safe.
 */
final class MetricsEndpoint {

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;

    MetricsEndpoint(PrometheusMeterRegistry registry, String host, int port) throws IOException {
        this.registry = registry;
        try {
            this.server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) { // as the listeners say it: which port, for the operator (and tests that retry)
            throw new IOException("metrics: cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", this::scrape);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    }

    /** Serves {@code GET path} with the JSON {@code body} makes at each request (before {@link #start()}). */
    void json(String path, Supplier<String> body) {
        server.createContext(path, exchange -> respond(exchange, "application/json", body));
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
        respond(exchange, "text/plain; version=0.0.4; charset=utf-8", registry::scrape);
    }

    private static void respond(HttpExchange exchange, String type, Supplier<String> body) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
