package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.UpdateData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The shortcut for an up-to-date reply must give exactly what the full reader gives, and nothing else. */
class EmptyUpdateTest {
    private static UpdateData full(String body) throws Exception {
        JsonNode data = Json.mapper().readTree(body).get("data");
        return Json.mapper().readerFor(UpdateData.class).readValue(data);
    }

    private static UpdateData shortcut(String body) {
        return EmptyUpdate.of(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void emptyRepliesReadAsTheFullReaderReadsThem() throws Exception {
        for (String data : List.of(
                // what this project's server sends when nothing is new
                "{\"chats\":{\"new\":[],\"events\":[],\"removed\":[]},\"users\":{\"new\":[],\"events\":[]},\"messages\":[],\"local\":[]}",
                "{}",
                "{\"messages\":[],\"hasMore\":false}",
                "{\"chats\":null,\"users\":{\"new\":null},\"messages\":null,\"local\":[],\"hasMore\":null}",
                "{ \"chats\" : { \"events\" : [ ] } }")) {
            String body = "{\"success\":true,\"data\":" + data + "}";
            UpdateData quick = shortcut(body);
            assertNotNull(quick, data);
            assertEquals(full(body), quick, data);
        }
        assertNotNull(shortcut("{\"data\":{},\"success\":true}"), "either order");
    }

    @Test
    void anythingElseIsLeftToTheFullReader() {
        for (String body : List.of(
                "{\"success\":true,\"data\":{\"messages\":[{\"id\":1}]}}",
                "{\"success\":true,\"data\":{\"chats\":{\"removed\":[\"c\"]}}}",
                "{\"success\":true,\"data\":{\"users\":{\"events\":[{}]}}}",
                "{\"success\":true,\"data\":{\"local\":[1]}}",
                "{\"success\":true,\"data\":{\"hasMore\":true}}",
                "{\"success\":true,\"data\":{\"hasMore\":0}}",
                "{\"success\":true,\"data\":{\"unknown\":[]}}",
                "{\"success\":true,\"data\":{\"users\":{\"removed\":[]}}}",
                "{\"success\":true,\"data\":{\"messages\":\"oops\"}}",
                "{\"success\":true,\"data\":{\"chats\":[]}}",
                "{\"success\":true,\"data\":null}",
                "{\"success\":true}",
                "{\"success\":false,\"data\":{}}",
                "{\"success\":true,\"data\":{},\"message\":\"hi\"}",
                "{\"success\":true,\"data\":{}} trailing",
                "{\"success\":true,\"data\":{\"messages\":[]",
                "[]",
                "")) {
            assertNull(shortcut(body), body);
        }
    }
}
