package org.clustermail.node.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reads a {@link NodeConfig} from a YAML file. Unknown keys are errors (a typo must not silently fall back to a
 * default). Durations are written {@code 500ms}, {@code 2s}, {@code 10m}, {@code 1h}, {@code 1d} or ISO-8601
 * ({@code PT2S}). Every failure becomes a {@link ConfigException} with a one-line message. Stateless; thread-safe.
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .registerModule(new SimpleModule("clustermail-config").addDeserializer(Duration.class, new DurationText()));

    private ConfigLoader() {
    }

    /** Loads {@code file}, or returns {@link NodeConfig#defaults()} when {@code file} is null. */
    public static NodeConfig load(Path file) {
        if (file == null) {
            return NodeConfig.defaults();
        }
        try {
            String text = Files.readString(file);
            return parse(text, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file not found: " + file, e);
        } catch (IOException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses YAML text; {@code source} names it in error messages. An empty document gives the defaults. */
    public static NodeConfig parse(String yaml, String source) {
        if (yaml.isBlank()) {
            return NodeConfig.defaults();
        }
        try {
            NodeConfig config = YAML.readValue(yaml, NodeConfig.class);
            return config == null ? NodeConfig.defaults() : config;
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": " + describe(e), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": not valid YAML: " + firstLine(e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
        }
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = u.getPath().size() > 1 ? " under " + path(u).replaceFirst("\\.?[^.\\[]*$", "") : "";
            return "unknown key '" + u.getPropertyName() + "'" + parent + "; known keys: " + u.getKnownPropertyIds();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
        String where = e.getPathReference() == null ? "" : " (at " + path(e) + ")";
        return firstLine(what) + where;
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                b.append(b.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.isEmpty() ? "top level" : b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid value";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Parses {@code 500ms}, {@code 2s}, {@code 10m}, {@code 1h}, {@code 1d}, ISO-8601 or a bare number of seconds. */
    static Duration parseDuration(String text) {
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
        }
        int split = 0;
        while (split < t.length() && Character.isDigit(t.charAt(split))) {
            split++;
        }
        if (split == 0 || split > 12) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (write e.g. 500ms, 2s, 10m, 1h)");
        }
        long n = Long.parseLong(t.substring(0, split));
        return switch (t.substring(split).strip()) {
            case "", "s" -> Duration.ofSeconds(n);
            case "ms" -> Duration.ofMillis(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("not a duration: '" + text + "' (write e.g. 500ms, 2s, 10m, 1h)");
        };
    }

    private static final class DurationText extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            try {
                return parseDuration(p.getValueAsString());
            } catch (RuntimeException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }
    }
}
