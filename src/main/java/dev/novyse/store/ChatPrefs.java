package dev.novyse.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * The account's own view of a chat that follows it to every device: muted (until when) and the folder it is filed
 * in. Both are synced settings (docs/protocol.md#chat-settings), so they travel as {@code SETTING_UPDATED} user
 * events: {@code chat.mute.<chatUUID>} is {@code "forever"} or an ISO-8601 instant, {@code chat.folder.<chatUUID>}
 * the folder's name. A mute whose time has passed reads as not muted; nothing needs to clear it.
 */
public record ChatPrefs(String mutedUntil, String folder) {
    public static final String MUTE = "chat.mute.";
    public static final String FOLDER = "chat.folder.";
    public static final String FOREVER = "forever";
    public static final ChatPrefs NONE = new ChatPrefs(null, null);

    /** Whether the chat is muted at {@code now}: for good, or until a time still ahead. */
    public boolean muted(Instant now) {
        if (mutedUntil == null) return false;
        if (mutedUntil.equals(FOREVER)) return true;
        try {
            return Instant.parse(mutedUntil).isAfter(now);
        } catch (DateTimeParseException e) {
            return false; // a value no client of this protocol writes: not muted
        }
    }

    /** The mute's end while muted at {@code now} ("forever" or the instant), else null. */
    public String mutedUntil(Instant now) {
        return muted(now) ? mutedUntil : null;
    }

    /** Every chat's preferences, from the synced settings ({@link LocalDatabase#syncedSettings}: key → JSON). */
    public static Map<String, ChatPrefs> of(Map<String, String> syncedSettings) {
        Map<String, ChatPrefs> out = new HashMap<>();
        for (Map.Entry<String, String> e : syncedSettings.entrySet()) {
            String key = e.getKey();
            boolean mute = key.startsWith(MUTE);
            if (!mute && !key.startsWith(FOLDER)) continue;
            String chat = key.substring(mute ? MUTE.length() : FOLDER.length());
            String value = text(e.getValue());
            if (chat.isEmpty() || value == null || value.isEmpty()) continue;
            ChatPrefs before = out.getOrDefault(chat, NONE);
            out.put(chat, mute ? new ChatPrefs(value, before.folder()) : new ChatPrefs(before.mutedUntil(), value));
        }
        return out;
    }

    private static String text(String json) {
        try {
            JsonNode n = Json.mapper().readTree(json);
            return n != null && n.isTextual() ? n.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
