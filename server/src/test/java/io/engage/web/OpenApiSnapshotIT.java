package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.engage.support.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The portal's typed API client is generated from {@code portal/openapi.json}; this keeps that file equal to the
 * spec the server serves, so an API change cannot silently break the portal. After an intended change, refresh the
 * snapshot with {@code -Dengage.openapi.update=true} and run {@code npm run api:types} in portal/.
 */
class OpenApiSnapshotIT extends IntegrationTest {

    private static final Path SNAPSHOT = Path.of("..", "portal", "openapi.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void thePortalsApiSnapshotIsTheServedSpec() throws Exception {
        JsonNode served = api.get("/v3/api-docs", null).json();
        ((ObjectNode) served).remove("servers"); // the test server's random port
        if (Boolean.getBoolean("engage.openapi.update")) {
            Files.writeString(SNAPSHOT, JSON.writeValueAsString(served) + "\n");
        }
        JsonNode snapshot = JSON.readTree(SNAPSHOT.toFile());
        // JsonNode equality ignores the order of object fields, not of arrays
        assertThat(served.equals(snapshot)).as("portal/openapi.json is out of date (%s): rerun with "
                + "-Dengage.openapi.update=true, then npm run api:types in portal/", differences(served, snapshot))
                .isTrue();
    }

    /** The paths and schemas that differ, to name in the failure instead of two whole specs. */
    private static List<String> differences(JsonNode served, JsonNode snapshot) {
        List<String> different = new ArrayList<>();
        for (String section : List.of("paths", "components/schemas")) {
            JsonNode a = served.at("/" + section);
            JsonNode b = snapshot.at("/" + section);
            Set<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            names.stream().filter(name -> !a.path(name).equals(b.path(name)))
                    .forEach(name -> different.add(section + " " + name));
        }
        return different;
    }
}
