package dev.novyse.store;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** The files of stored, not deleted messages, with what the store knows of them (name, size, type). */
final class FileQueries {
    private static final String FILE_COLUMNS = "SELECT mf.chatUUID, mf.subID, mf.messageID, mf.fileUUID, f.name, f.size,"
            + " f.mimeType FROM message_files mf JOIN message m ON m.chatUUID = mf.chatUUID AND m.subID = mf.subID"
            + " AND m.id = mf.messageID AND m.deleted = 0 LEFT JOIN file f ON f.uuid = mf.fileUUID";

    private final ViewQueries views;

    FileQueries(ViewQueries views) {
        this.views = views;
    }

    Optional<StoredFile> file(String fileUUID) {
        return files(FILE_COLUMNS + " WHERE mf.fileUUID = ? LIMIT 1", fileUUID).stream().findFirst();
    }

    List<StoredFile> messageFiles(String chatUUID, int subID, long messageID) {
        return files(FILE_COLUMNS + " WHERE mf.chatUUID = ? AND mf.subID = ? AND mf.messageID = ?"
                + " ORDER BY mf.position", chatUUID, subID, messageID);
    }

    /** The newest {@code limit} files of a chat (every sub), oldest first. */
    List<StoredFile> chatFiles(String chatUUID, int limit) {
        List<StoredFile> out = new ArrayList<>(files(FILE_COLUMNS + " WHERE mf.chatUUID = ?"
                + " ORDER BY m.created_at DESC, mf.subID DESC, mf.messageID DESC, mf.position DESC LIMIT ?", chatUUID, limit));
        Collections.reverse(out);
        return out;
    }

    private List<StoredFile> files(String sql, Object... args) {
        return views.query(sql, rs -> new StoredFile(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4),
                rs.getString(5), Columns.longOrNull(rs, 6), rs.getString(7)), args);
    }
}
