package dev.novyse.store;

/** Rows only this device has and never syncs: its local settings and the drafts typed and not sent. */
final class LocalRows {
    private LocalRows() {}

    /** Keeps {@code value} (text) as a JSON string: the column holds JSON, which an archive carries as such. */
    static int putSetting(Tx tx, String key, String value) {
        return tx.update("INSERT INTO local_settings(key, value_json, scope, updated_at)"
                + " VALUES (?, json_quote(?), 'local', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
                + " ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, scope = 'local',"
                + " updated_at = excluded.updated_at", key, value);
    }

    /** Keeps {@code text} as the draft of a chat's sub; blank text removes it. */
    static int saveDraft(Tx tx, String chatUUID, int subID, String text) {
        return text == null || text.isBlank()
                ? tx.update("DELETE FROM draft WHERE chatUUID = ? AND subID = ?", chatUUID, subID)
                : tx.update("INSERT INTO draft(chatUUID, subID, text, updated_at)"
                + " VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
                + " ON CONFLICT(chatUUID, subID) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                chatUUID, subID, text);
    }
}
