package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;

import java.io.IOException;

/**
 * A request's JSON object with validating accessors. Every violation is a 400 naming the field, so a handler
 * reads all its input before it writes anything.
 */
final class Body {
    private final ObjectNode node;

    private Body(ObjectNode node) {
        this.node = node;
    }

    static Body parse(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw ApiError.badRequest("request body must be a JSON object");
        }
        JsonNode parsed;
        try {
            parsed = Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw ApiError.badRequest("request body is not valid JSON");
        }
        if (parsed == null || !parsed.isObject()) {
            throw ApiError.badRequest("request body must be a JSON object");
        }
        return new Body((ObjectNode) parsed);
    }

    static Body of(ObjectNode node) {
        return new Body(node);
    }

    boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    String string(String field, int maxLength) {
        String s = optString(field, maxLength);
        if (s == null) {
            throw ApiError.badRequest("field '" + field + "' is required");
        }
        return s;
    }

    String optString(String field, int maxLength) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiError.badRequest("field '" + field + "' must be a string");
        }
        String s = v.textValue();
        if (s.length() > maxLength) {
            if (maxLength >= 1024) {
                throw ApiError.tooLarge("field '" + field + "' is longer than " + maxLength + " characters");
            }
            throw ApiError.badRequest("field '" + field + "' is longer than " + maxLength + " characters");
        }
        return s;
    }

    /** An integer sent as a number or as a numeric string, as the public client does for ids. */
    long integer(String field, long min, long max) {
        Long v = optInteger(field, min, max);
        if (v == null) {
            throw ApiError.badRequest("field '" + field + "' is required");
        }
        return v;
    }

    Long optInteger(String field, long min, long max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        long value;
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            value = v.longValue();
        } else if (v.isTextual()) {
            try {
                value = Long.parseLong(v.textValue().trim());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest("field '" + field + "' must be an integer");
            }
        } else {
            throw ApiError.badRequest("field '" + field + "' must be an integer");
        }
        if (value < min || value > max) {
            throw ApiError.badRequest("field '" + field + "' must be between " + min + " and " + max);
        }
        return value;
    }

    int subId(String field) {
        Long v = optInteger(field, 0, Integer.MAX_VALUE);
        return v == null ? 0 : v.intValue();
    }

    ArrayNode optArray(String field, int maxItems) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw ApiError.badRequest("field '" + field + "' must be an array");
        }
        if (v.size() > maxItems) {
            throw ApiError.badRequest("field '" + field + "' has more than " + maxItems + " items");
        }
        return (ArrayNode) v;
    }

    /** A list of user uuids ({@code userUUIDs}), each once, in the order given; empty when the field is absent. */
    java.util.Set<String> uuids(String field, int maxItems) {
        ArrayNode array = optArray(field, maxItems);
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (array == null) return out;
        for (JsonNode n : array) {
            if (!n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > 64) {
                throw ApiError.badRequest("items of '" + field + "' must be user uuids");
            }
            out.add(n.textValue());
        }
        return out;
    }

    JsonNode raw(String field) {
        return node.get(field);
    }

    /** The elements of an array field as Bodies; each element must be an object. */
    java.util.List<Body> objects(String field, int maxItems) {
        ArrayNode array = optArray(field, maxItems);
        java.util.List<Body> out = new java.util.ArrayList<>();
        if (array == null) {
            return out;
        }
        for (JsonNode item : array) {
            if (!item.isObject()) {
                throw ApiError.badRequest("items of '" + field + "' must be objects");
            }
            out.add(new Body((ObjectNode) item));
        }
        return out;
    }
}
