package dev.novyse.protocol;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The update request's hand-written JSON says what the mapper would write, field for field. */
class UpdateRequestJsonTest {
    @Test
    void theHandWrittenJsonIsTheMappersJson() throws Exception {
        Random random = new Random(14);
        List<UpdateRequest> requests = new ArrayList<>(List.of(
                new UpdateRequest(null, null, null),
                new UpdateRequest(new UpdateRequest.Local(0), List.of(), List.of()),
                new UpdateRequest(new UpdateRequest.Local(Long.MAX_VALUE),
                        List.of(new UpdateRequest.ChatCursor(null, 3, null),
                                new UpdateRequest.ChatCursor("quote \" back\\slash ü 😀 \u0001", 0, List.of())),
                        List.of(new UpdateRequest.UserCursor(null, 9)))));
        for (int n = 0; n < 50; n++) {
            List<UpdateRequest.ChatCursor> chats = new ArrayList<>();
            for (int c = random.nextInt(5); c > 0; c--) {
                List<UpdateRequest.SubCursor> subs = new ArrayList<>();
                for (int s = random.nextInt(4); s > 0; s--) {
                    subs.add(new UpdateRequest.SubCursor(random.nextInt(1000), random.nextLong() & Long.MAX_VALUE));
                }
                chats.add(new UpdateRequest.ChatCursor(java.util.UUID.randomUUID().toString(), random.nextInt(), subs));
            }
            List<UpdateRequest.UserCursor> users = new ArrayList<>();
            for (int u = random.nextInt(4); u > 0; u--) {
                users.add(new UpdateRequest.UserCursor(java.util.UUID.randomUUID().toString(), random.nextLong()));
            }
            requests.add(new UpdateRequest(random.nextBoolean() ? new UpdateRequest.Local(random.nextInt(100)) : null,
                    chats, users));
        }
        for (UpdateRequest r : requests) {
            assertEquals(Json.mapper().readTree(Json.mapper().writeValueAsBytes(r)), Json.mapper().readTree(r.toJson()),
                    r.toString());
            assertEquals(r, Json.mapper().readValue(r.toJson(), UpdateRequest.class), "reads back as itself");
        }
    }
}
