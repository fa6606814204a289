package dev.novyse.store;

import dev.novyse.protocol.Chat;
import dev.novyse.protocol.FileRef;
import dev.novyse.protocol.Member;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.Reaction;
import dev.novyse.protocol.Read;
import dev.novyse.protocol.ReplyTo;
import dev.novyse.protocol.Role;
import dev.novyse.protocol.Sub;
import dev.novyse.protocol.User;

import java.util.List;

/** Small builders for protocol records in tests. */
public final class Fixtures {
    private Fixtures() {}

    public static String at(long id) {
        return String.format("2025-01-01T00:%02d:%02d.000Z", (id / 60) % 60, id % 60);
    }

    public static Message msg(String chat, int sub, long id, String sender, String content) {
        return new Message(id, chat, sub, sender, content, "message", null, at(id), false, null, null, null,
                List.of(), List.of(), List.of(), List.of(), null, null);
    }

    public static Message rich(String chat, int sub, long id, String sender, String content, List<Reaction> reactions,
                               List<FileRef> files, List<Read> reads, ReplyTo reply, Boolean pinned) {
        return new Message(id, chat, sub, sender, content, "message", null, at(id), false, pinned,
                pinned == Boolean.TRUE ? at(id) : null, pinned == Boolean.TRUE ? sender : null,
                reply == null ? List.of() : List.of(reply), files, reads, reactions, null, null);
    }

    public static Message tombstone(String chat, int sub, long id, String sender) {
        return new Message(id, chat, sub, sender, null, "message", null, at(id), null, null, null, null,
                null, null, null, null, true, null);
    }

    public static User user(String uuid, String name, long profileEventID) {
        return new User(uuid, name, null, name.toLowerCase(), null, null, null, null, null, null, null,
                profileEventID, null);
    }

    public static Chat chat(String uuid, String type, String name, String handle, long eventID, List<String> members) {
        return new Chat(uuid, type, name, null, null, eventID, handle,
                members.stream().map(m -> new Member(m, List.of(0), at(0))).toList(),
                List.of(new Role(0, "member", null, 0, null), new Role(1, "admin", "ADMIN", 100, null)),
                List.of(new Sub(0, "general", "DEFAULT", at(0))), List.of(), null);
    }

    /** Opens a database with the given schema version only (package-private seam of LocalDatabase). */
    public static LocalDatabase openAt(java.nio.file.Path file, int version) {
        return LocalDatabase.open(file, version);
    }
}
