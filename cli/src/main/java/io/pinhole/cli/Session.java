package io.pinhole.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.PrintStream;

/**
 * What one command works with: the API, where to print, and whether the caller wants JSON
 * ({@code --json}: exactly the API's objects, one JSON document on stdout, for scripts).
 */
record Session(AdminClient api, ObjectMapper json, PrintStream out, boolean jsonOutput, Prompt prompt) {

    ObjectNode object() {
        return json.createObjectNode();
    }

    void printJson(JsonNode node) {
        try {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print a JSON tree", e);
        }
    }

    /** A text field, or null when absent or JSON null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
