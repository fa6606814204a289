package dev.novyse.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;

/**
 * The one configured Jackson mapper of the project. Reading is as tolerant as the public client
 * (unknown fields ignored, ids as string or int, booleans as true/1/"true"/"1"); writing omits nulls.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    // Emoji stay readable UTF-8 in exports and replies instead of escaped surrogate pairs.
                    .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                    .build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .addModule(new SimpleModule("novyse-lenient")
                    .addDeserializer(Boolean.class, new LenientBoolean()))
            .build();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Accepts true/false, 1/0 and their string forms, as the public client does. */
    static final class LenientBoolean extends JsonDeserializer<Boolean> {
        @Override
        public Boolean deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_TRUE -> true;
                case VALUE_FALSE -> false;
                case VALUE_NUMBER_INT -> p.getLongValue() != 0;
                case VALUE_STRING -> {
                    String s = p.getText().trim();
                    yield s.equalsIgnoreCase("true") || s.equals("1");
                }
                case VALUE_NULL -> null;
                default -> (Boolean) ctxt.handleUnexpectedToken(Boolean.class, p);
            };
        }

        @Override
        public Boolean getNullValue(DeserializationContext ctxt) {
            return null;
        }
    }
}
