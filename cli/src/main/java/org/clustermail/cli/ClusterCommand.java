package org.clustermail.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.clustermail.node.config.ClusterNode;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.node.config.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clustermail cluster status [--json]}: asks every node of the configured cluster for its {@code /status}
 * (next to its {@code /metrics}) and shows, per node, whether it answers, the users it owns, the messages they have,
 * the mail it holds for other nodes' users, its spool and work list, and what it believes about the others.
 */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Look at the cluster's nodes.")
final class ClusterCommand {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DEMO_CONFIG = Path.of("demo-cluster", "node1.yaml");

    @Spec
    CommandSpec spec;

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Each node: up/down, users owned, messages stored, held mail, spool, work list.")
    int status(@Option(names = {"-c", "--config"}, paramLabel = "FILE",
                       description = "a node's configuration, whose cluster list is asked (default: "
                               + "demo-cluster/node1.yaml if present)") Path config,
               @Option(names = "--json", description = "print JSON for scripts") boolean json) throws IOException {
        Path file = config != null ? config : Files.exists(DEMO_CONFIG) ? DEMO_CONFIG : null;
        NodeConfig c = ConfigLoader.load(file);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        ArrayNode nodes = JSON.createArrayNode();
        for (ClusterNode n : c.cluster()) {
            ObjectNode entry = nodes.addObject();
            entry.put("node", n.id());
            entry.put("endpoint", "http://" + n.host() + ":" + n.ports().metrics() + "/status");
            JsonNode status = fetch(http, entry.get("endpoint").asText());
            entry.put("up", status != null);
            if (status != null) {
                entry.set("status", status);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode root = JSON.createObjectNode();
            root.set("nodes", nodes);
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            printTable(out, nodes);
        }
        out.flush();
        boolean allUp = true;
        for (JsonNode n : nodes) {
            allUp &= n.get("up").asBoolean();
        }
        return allUp ? 0 : 3;
    }

    private static JsonNode fetch(HttpClient http, String url) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static void printTable(PrintWriter out, JsonNode nodes) {
        out.printf("%-7s %-5s %-9s %6s %9s %5s %9s %6s %6s %-4s %s%n", "NODE", "STATE", "MODE", "USERS", "MESSAGES",
                "HELD", "HELD-MSGS", "SPOOL", "QUEUE", "SQL", "SEES");
        for (JsonNode n : nodes) {
            String name = String.format("node%02d", n.get("node").asInt());
            JsonNode s = n.get("status");
            if (s == null) {
                out.printf("%-7s %-5s (no answer from %s)%n", name, "DOWN", n.get("endpoint").asText());
                continue;
            }
            out.printf("%-7s %-5s %-9s %6d %9d %5d %9d %6d %6d %-4s %s%n", name, "up", s.get("mode").asText(),
                    s.get("usersOwned").asLong(), s.get("messagesStored").asLong(), s.get("heldUsers").asInt(),
                    s.get("heldMessages").asLong(), s.get("spooled").asInt(), s.get("workList").asInt(),
                    s.get("sqlAvailable").asBoolean() ? "ok" : "DOWN", peers(s.get("peers")));
        }
    }

    private static String peers(JsonNode peers) {
        List<String> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = peers.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(e.getKey() + (e.getValue().get("up").asBoolean() ? " up" : " DOWN"));
        }
        return out.isEmpty() ? "-" : String.join(", ", out);
    }
}
