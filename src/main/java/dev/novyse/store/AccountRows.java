package dev.novyse.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.FavoriteMessage;

/**
 * The account's own rows, which only the account's user events change: pinned chats, favourite messages and
 * synchronised settings. Written inside the {@link StoreWriter}'s transaction ({@link StoreWriter#account()}).
 */
public final class AccountRows {
    private final StoreWriter writer;
    private final Tx tx;

    AccountRows(StoreWriter writer) {
        this.writer = writer;
        this.tx = writer.tx();
    }

    public boolean pinChat(String chatUUID, int position) {
        if (!writer.chatExists(chatUUID)) return false;
        tx.update("INSERT INTO chat_pin(chatUUID, position) VALUES (?, ?)"
                + " ON CONFLICT(chatUUID) DO UPDATE SET position = excluded.position", chatUUID, position);
        return true;
    }

    public void unpinChat(String chatUUID) {
        tx.update("DELETE FROM chat_pin WHERE chatUUID = ?", chatUUID);
    }

    public boolean favorite(FavoriteMessage f) {
        if (!writer.chatExists(f.chatUUID())) return false;
        tx.update("INSERT INTO favorite_message(chatUUID, subID, messageID, createdAt) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT(chatUUID, subID, messageID) DO UPDATE SET"
                        + " createdAt = COALESCE(favorite_message.createdAt, excluded.createdAt)",
                f.chatUUID(), f.subID(), f.messageID(), f.createdAt());
        return true;
    }

    public void unfavorite(String chatUUID, int subID, long messageID) {
        tx.update("DELETE FROM favorite_message WHERE chatUUID = ? AND subID = ? AND messageID = ?",
                chatUUID, subID, messageID);
    }

    /** A synchronised setting; a JSON null value removes it. */
    public void putSetting(String key, JsonNode value, String updatedAt) {
        if (value == null || value.isNull()) {
            tx.update("DELETE FROM local_settings WHERE key = ? AND scope = 'synced'", key);
            return;
        }
        tx.update("INSERT INTO local_settings(key, value_json, scope, updated_at) VALUES (?, ?, 'synced', ?)"
                        + " ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, scope = 'synced',"
                        + " updated_at = excluded.updated_at",
                key, StoreWriter.toJson(value), updatedAt);
    }
}
