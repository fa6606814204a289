package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * SQLite server databases written by older versions upgrade in place. PostgreSQL support began at version 4, so these
 * migrations of older data have no PostgreSQL counterpart (the PostgreSQL pass leaves this class out).
 */
class SqliteServerMigrationTest {
    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    RawApi.Account alice;
    RawApi.Account bob;
    RawApi.Account eve;
    String chat;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        api = new RawApi(server.url());
        alice = api.signup("alice");
        bob = api.signup("bob");
        eve = api.signup("eve");
        chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Team",
                "memberUUIDs", List.of(bob.uuid(), eve.uuid())))).path("chat").path("uuid").asText();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private void downgrade(String... statements) throws Exception {
        server.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("server.db"));
             Statement s = c.createStatement()) {
            for (String sql : statements) s.execute(sql);
        }
        server = TestServer.start(dir);
        api = new RawApi(server.url());
    }

    private JsonNode chatOf(RawApi.Account who, String uuid) {
        for (JsonNode c : api.ok(api.get("/user/initialize", who.token())).path("chats")) {
            if (c.path("uuid").asText().equals(uuid)) return c;
        }
        throw new AssertionError("no chat " + uuid + " in the initialize of " + who.username());
    }

    /** A server database from before moderation: the creator (or, when gone, the first admin) becomes the owner. */
    @Test
    void migratingAnOlderDatabaseMakesOwnersAndLogsIt() throws Exception {
        String left = api.ok(api.post("/chat/create", bob.token(), Map.of("type", "GROUP", "name", "Bob's",
                "memberUUIDs", List.of(alice.uuid(), eve.uuid())))).path("chat").path("uuid").asText();
        // Back to version 2: creators were admins, no bans table (nor the API keys of version 4, the file order of
        // version 5, the live frames of version 6); bob has left his chat, eve was its admin.
        downgrade("UPDATE members SET role_ids='[0,1]' WHERE role_ids='[0,1,2]'",
                "DELETE FROM members WHERE chat_uuid='" + left + "' AND user_uuid='" + bob.uuid() + "'",
                "UPDATE members SET role_ids='[0,1]' WHERE chat_uuid='" + left + "' AND user_uuid='" + eve.uuid() + "'",
                "DROP TABLE bans", "DROP TABLE api_keys", "ALTER TABLE message_files DROP COLUMN seq",
                "DROP TABLE live_frames", "DROP TABLE live_scopes", "DROP TABLE live_presence",
                "DROP TABLE live_processes", "PRAGMA user_version=2");
        assertEquals("[0,1,2]", ModerationTest.rolesOf(chatOf(alice, chat), alice.uuid()));
        JsonNode update = api.ok(api.post("/user/update", bob.token(), Map.of("local", Map.of("eventID", 0),
                "chats", List.of(Map.of("chatUUID", chat, "eventID", 0, "subs", List.of(Map.of("subID", 0, "messageID", 0)))),
                "users", List.of())));
        List<JsonNode> logged = ModerationTest.events(update, "MEMBER_ROLES_CHANGED");
        assertEquals(1, logged.size());
        assertEquals(alice.uuid(), logged.get(0).path("payload").path("userUUID").asText());
        assertEquals("[0,1,2]", ModerationTest.rolesOf(chatOf(eve, left), eve.uuid()));
    }

    /** Version 5: a message's files, ordered by SQLite's rowid before, keep that order in their own column. */
    @Test
    void filesOfAnOlderDatabaseKeepTheirOrder() throws Exception {
        long id = api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "two files")))
                .path("id").asLong();
        String insert = "INSERT INTO message_files(chat_uuid, sub_id, message_id, file_uuid, name, size) VALUES('"
                + chat + "', 0, " + id + ", '%s', '%s', 1)";
        // Inserted in the order opposite to their uuids' and names': only the rowid says which came first.
        downgrade("ALTER TABLE message_files DROP COLUMN seq", String.format(insert, "f2", "zeta.txt"),
                String.format(insert, "f1", "alpha.txt"), "DROP TABLE live_frames", "DROP TABLE live_scopes",
                "DROP TABLE live_presence", "DROP TABLE live_processes", "PRAGMA user_version=4");
        List<String> names = new ArrayList<>();
        api.ok(api.get("/message?chatUUID=" + chat + "&subID=0&messageID=" + id, alice.token())).path("files")
                .forEach(f -> names.add(f.path("name").asText()));
        assertEquals(List.of("zeta.txt", "alpha.txt"), names);
    }
}
