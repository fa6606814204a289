package dev.novyse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.export.ExportFormat;
import dev.novyse.export.JsonlExporter;
import dev.novyse.export.MessageExporter;
import dev.novyse.export.archive.ArchiveExporter;
import dev.novyse.export.archive.ArchiveHeader;
import dev.novyse.export.archive.ArchiveSchema;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.FileRef;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.Reaction;
import dev.novyse.protocol.ReplyTo;
import dev.novyse.protocol.UserEvent;
import dev.novyse.store.Fixtures;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MessageView;
import dev.novyse.store.StoreWriter;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.LiveChannel;
import dev.novyse.sync.SyncResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON Lines contracts scripts rely on: the field names (and their order) of every line {@code chats},
 * {@code chat info}, {@code chat members}, {@code profile}, {@code settings get}, {@code outbox}, {@code export}, {@code export --all}, {@code watch} and {@code sync --stats} print are pinned by the golden file
 * {@code src/test/resources/golden/output-fields.txt}, and docs/output.md must name every one of them. A changed
 * field set fails here; after a deliberate change, run with {@code -Dgolden.update=true} and update the docs.
 */
class OutputContractTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden/output-fields.txt");

    @TempDir
    Path dir;

    final Map<String, List<String>> actual = new LinkedHashMap<>();

    static List<String> fields(JsonNode o) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    static JsonNode parse(String line) throws Exception {
        return Json.mapper().readTree(line);
    }

    @Test
    void everyJsonLinesFieldSetIsTheDocumentedOne() throws Exception {
        // chats: a chat with nothing known still prints every field.
        actual.put("chats", fields(Json.mapper().valueToTree(
                new ChatsCommand.ChatLine("c", "GROUP", "t", null, null, 0, null, null, null, null, false, null, null))));

        // outbox: an entry with nothing known still prints every field.
        actual.put("outbox", fields(Json.mapper().valueToTree(new OutboxCommand.OutboxLine("t", "PENDING", "c", null, 0,
                null, 0, null, "", 0, List.of(), null))));

        // dm, chat create and chat join print the chats line; chat info, chat members, profile and settings get
        // their own, every field even when nothing is known.
        ChatCommand.MemberLine member = new ChatCommand.MemberLine("u", null, null, List.of(), null, null);
        actual.put("chat info", fields(Json.mapper().valueToTree(new ChatCommand.ChatInfoLine("c", "GROUP", "t", null,
                null, 0, null, List.of(member), null, false, null, null))));
        actual.put("chat members", fields(Json.mapper().valueToTree(member)));
        actual.put("chat bans", fields(Json.mapper().valueToTree(new ChatModerationCommands.BanLine("u", null, null,
                null, null, null))));
        actual.put("profile", fields(Json.mapper().valueToTree(new ProfileCommand.ProfileLine("u", "n", null, null,
                null, null, null, null, null))));
        actual.put("settings", fields(Json.mapper().valueToTree(SettingsCommand.SettingLine.of("k", "true"))));
        actual.put("apikey list", fields(Json.mapper().valueToTree(new ApikeyCommand.ApiKeyLine("i", "n", "read", true,
                "t", null, null, "nvk_abcdef"))));

        // export (messages) and export --all, from a real store.
        String chat = "c1";
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("store.db"))) {
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                w.upsertUser(Fixtures.user("u1", "Ann", 1));
                w.upsertChat(Fixtures.chat(chat, "GROUP", "Team", "team", 1, List.of("u1")));
                w.upsertMessage(Fixtures.msg(chat, 0, 1, "u1", "hello"));
                w.upsertMessage(Fixtures.rich(chat, 0, 2, "u1", "re", List.of(new Reaction("u1", "👍", null)),
                        List.of(new FileRef("f1", "a.txt", "text/plain", 3L, null, null, null)), List.of(),
                        new ReplyTo(chat, 0, 1L, null, null), true));
                return null;
            });
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonlExporter.export(db, null, null, out);
            List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(2, lines.size(), lines.toString());
            actual.put("export", fields(parse(lines.get(1))));
            assertEquals(actual.get("export"), fields(parse(lines.get(0))), "a reply-less message has the same fields");
            ByteArrayOutputStream csv = new ByteArrayOutputStream();
            try (ExportFormat.RowWriter wr = ExportFormat.csv.open(csv)) {
                MessageExporter.export(db, null, null, wr);
            }
            actual.put("export csv", List.of(csv.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow().split(",")));

            ByteArrayOutputStream archive = new ByteArrayOutputStream();
            ArchiveExporter.export(db, ArchiveHeader.of(null, "ann@h_1", "u1", "ann", "http://h:1", 2,
                    "2026-01-01T00:00:00.000Z"), false, archive);
            List<String> records = archive.toString(StandardCharsets.UTF_8).lines().toList();
            actual.put("archive header", fields(parse(records.get(0))));
            Map<String, List<String>> schema = ArchiveSchema.fieldNames();
            for (String line : records.subList(1, records.size() - 1)) {
                JsonNode r = parse(line);
                List<String> expected = new ArrayList<>(List.of("kind"));
                expected.addAll(schema.get(r.path("kind").asText()));
                assertEquals(expected, fields(r), "an exported record has its kind's fields: " + line);
            }
            schema.forEach((kind, names) -> {
                List<String> all = new ArrayList<>(List.of("kind"));
                all.addAll(names);
                actual.put("archive " + kind, all);
            });
            actual.put("archive end", fields(parse(records.get(records.size() - 1))));
        }

        // sync --stats
        ByteArrayOutputStream stats = new ByteArrayOutputStream();
        new OutputWriter(new PrintStream(stats, true, StandardCharsets.UTF_8), OutputFormat.jsonl)
                .json(new SyncResult(false, 1, 0, 0, 0, 0, 0, 0, 0, 0));
        actual.put("sync", fields(parse(stats.toString(StandardCharsets.UTF_8))));

        // watch: one line of each type, with nulls where a value may be unknown.
        ByteArrayOutputStream watched = new ByteArrayOutputStream();
        WatchCommand.Printer p = new WatchCommand.Printer(new OutputWriter(new PrintStream(watched, true,
                StandardCharsets.UTF_8), OutputFormat.jsonl), null, true, true, new CountDownLatch(1));
        p.message(new MessageView(chat, 0, 1, "u1", null, "hi", "t", false, false, List.of(), null, List.of(), false, false),
                LiveChannel.Source.LIVE);
        p.chat(new Chat(chat, "GROUP", null, null, null, 1L, null, null, null, null, null, null));
        p.chatEvent(new ChatEvent(1, "MESSAGE_EDITED", chat, "u1", "t", null));
        p.profile(new ProfileEvent(1, "u1", "NAME", "t", null));
        p.userEvent(new UserEvent(1, "CHAT_PINNED", chat, "t", null));
        p.synced(new ChannelEvent.Synced("reconnect", false, new SyncResult(false, 1, 0, 0, 1, 0, 0, 0, 0, 0)));
        p.activity(chat, "u1", "typing");
        p.presence("u1", true, null);
        p.status(LiveChannel.Status.CONNECTED);
        p.problem("x");
        for (String line : watched.toString(StandardCharsets.UTF_8).lines().toList()) {
            JsonNode o = parse(line);
            actual.put("watch " + o.path("type").asText(), fields(o));
        }
        assertEquals(10, actual.keySet().stream().filter(k -> k.startsWith("watch ")).count(), actual.keySet().toString());

        StringBuilder text = new StringBuilder();
        actual.forEach((k, v) -> text.append(k).append(": ").append(String.join(" ", v)).append('\n'));
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, text);
        }
        assertEquals(Files.readString(GOLDEN), text.toString(),
                "a JSON Lines field set changed: scripts break. If deliberate, run with -Dgolden.update=true and update docs/output.md");

        String docs = Files.readString(Path.of("docs/output.md"));
        List<String> undocumented = new ArrayList<>();
        actual.forEach((k, v) -> v.forEach(f -> {
            if (!docs.contains("`" + f + "`")) undocumented.add(k + "." + f);
        }));
        assertEquals(List.of(), undocumented, "fields docs/output.md does not name");
        assertTrue(docs.contains("\"kind\":\"novyse-export\""), "docs/output.md shows an archive header");
    }

    @Test
    void theChatsLineKeepsNullFields() {
        ObjectNode o = Json.mapper().valueToTree(new ChatsCommand.ChatLine("c", "DM", "t", null, null, 0, null, null, null, null, false, null, null));
        assertTrue(o.has("handle") && o.get("handle").isNull(), o.toString());
    }
}
