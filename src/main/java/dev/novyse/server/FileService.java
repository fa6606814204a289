package dev.novyse.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.io.PrivateFiles;
import dev.novyse.protocol.FileDownload;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.PendingSend;
import dev.novyse.protocol.Timestamps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.novyse.server.ServerDatabase.queryString;
import static dev.novyse.server.ServerDatabase.update;

/**
 * Messages with files, in the public API's presigned-URL flow: {@code POST /message} registers a pending message
 * and answers an upload URL per file; each file is PUT to its URL; {@code POST /message/confirm} commits the
 * message once every file is there with its declared size. The server serves the URLs itself and keeps the bytes
 * under {@code <data dir>/files/<fileUUID>}. An upload is written to {@code files/.partial/} and renamed into place
 * only when complete, so a file at its final path is always whole: a cut upload leaves nothing behind.
 */
final class FileService {
    private final ServerDatabase db;
    private final Clock clock;
    private final NewMessages newMessages;
    private final FileUrls urls;
    private final Path dir;
    private final Path partial;

    FileService(ServerDatabase db, Clock clock, NewMessages newMessages, FileUrls urls, Path dataDir) {
        this.db = db;
        this.clock = clock;
        this.newMessages = newMessages;
        this.urls = urls;
        this.dir = dataDir.resolve("files");
        this.partial = dir.resolve(".partial");
        try {
            ServerDatabase.closeOrWarn(PrivateFiles.directories(dir));
            ServerDatabase.closeOrWarn(PrivateFiles.directories(partial));
            // Leftovers of uploads cut by a crash: never complete, never referenced.
            try (DirectoryStream<Path> stale = Files.newDirectoryStream(partial)) {
                for (Path p : stale) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the file store " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Registers a pending message with its files. Idempotent by {@code tempId}: a retry answers the same pending
     * message (with fresh URLs and which files are already uploaded), or the committed message once confirmed.
     */
    NewMessages.Sent prepare(String sender, NewMessages.Draft d, String base) {
        return db.write(c -> {
            NewMessages.requireCanPost(c, d, sender);
            Message committed = NewMessages.byTempId(c, sender, d.tempId());
            if (committed != null) {
                return new NewMessages.Sent(committed, false);
            }
            if (d.tempId() != null) {
                String waiting = queryString(c, "SELECT uuid FROM pending_messages WHERE sender_uuid=? AND temp_id=?"
                        + " AND message_id IS NULL", sender, d.tempId());
                if (waiting != null) {
                    return new NewMessages.Sent(pendingReply(c, waiting, base), false);
                }
            }
            NewMessages.requireReplies(c, d);
            String uuid = UUID.randomUUID().toString();
            update(c, "INSERT INTO pending_messages(uuid, chat_uuid, sub_id, sender_uuid, content, temp_id, replies,"
                            + " created_at) VALUES(?,?,?,?,?,?,?,?)", uuid, d.chat(), d.sub(), sender, d.content(),
                    d.tempId(), Json.mapper().valueToTree(d.replies()).toString(), Times.iso(clock));
            int seq = 0;
            for (NewMessages.NewFile f : d.files()) {
                update(c, "INSERT INTO uploads(file_uuid, message_uuid, seq, name, mime_type, size, duration)"
                                + " VALUES(?,?,?,?,?,?,?)", UUID.randomUUID().toString(), uuid, seq++, f.name(),
                        f.mimeType(), f.size(), f.duration());
            }
            return new NewMessages.Sent(pendingReply(c, uuid, base), true);
        });
    }

    private record Pending(String uuid, String chat, int sub, String sender, String content, String tempId,
                           String replies, Long messageId) {
    }

    private static Pending pending(Connection c, String uuid) throws SQLException {
        try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT uuid, chat_uuid, sub_id, sender_uuid, content,"
                + " temp_id, replies, message_id FROM pending_messages WHERE uuid=?", uuid);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new Pending(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getObject(8) == null ? null : rs.getLong(8));
        }
    }

    private record Upload(String uuid, String name, String mimeType, long size, Double duration, boolean uploaded) {
    }

    private static List<Upload> uploads(Connection c, String messageUUID) throws SQLException {
        List<Upload> out = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT file_uuid, name, mime_type, size, duration,"
                + " uploaded FROM uploads WHERE message_uuid=? ORDER BY seq", messageUUID);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Upload(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getObject(5) == null ? null : rs.getDouble(5), rs.getInt(6) != 0));
            }
        }
        return out;
    }

    private PendingSend pendingReply(Connection c, String uuid, String base) throws SQLException {
        Pending p = pending(c, uuid);
        List<PendingSend.Upload> files = new ArrayList<>();
        for (Upload u : uploads(c, uuid)) {
            FileUrls.Signed url = urls.upload(u.uuid());
            files.add(new PendingSend.Upload(u.uuid(), u.name(), u.mimeType(), u.size(), u.duration(),
                    base + url.pathAndQuery(), Timestamps.of(url.expiresAt()), u.uploaded()));
        }
        return new PendingSend(PendingSend.STATUS, uuid, uuid, p.chat(), p.sub(), p.tempId(), files);
    }

    /** {@code PUT /files/upload/<fileUUID>?exp&sig}: stores the body if it is exactly the declared size. */
    ObjectNode upload(String fileUUID, String exp, String sig, long contentLength, InputStream body) {
        requireFileId(fileUUID);
        requireSignature("PUT", fileUUID, exp, sig);
        Long size = db.read(c -> {
            String state = queryString(c, "SELECT CASE WHEN p.message_id IS NULL THEN CAST(u.size AS TEXT) ELSE 'sent' END"
                    + " FROM uploads u JOIN pending_messages p ON p.uuid = u.message_uuid WHERE u.file_uuid=?", fileUUID);
            if (state == null && stored(c, fileUUID) != null) {
                throw ApiError.conflict("this file's message is already sent; its file cannot change");
            }
            if (state == null) {
                throw ApiError.notFound("no upload is waiting for this file (cancelled?)");
            }
            if (state.equals("sent")) {
                throw ApiError.conflict("this file's message is already sent; its file cannot change");
            }
            return Long.parseLong(state);
        });
        if (contentLength < 0) {
            throw new ApiError(411, "LENGTH_REQUIRED", "an upload needs a Content-Length header");
        }
        if (contentLength != size) {
            throw ApiError.badRequest("Content-Length " + contentLength + " differs from the declared size " + size);
        }
        Path part = null;
        try {
            // A temp file is 0600 whatever the umask, and keeps that mode through the rename: stored bytes are private.
            part = Files.createTempFile(partial, fileUUID + ".", ".part");
            long got;
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                got = copy(body, out, size + 1);
                // Durable before the database says "uploaded": a crash must not leave a row pointing at nothing.
                ch.force(true);
            }
            if (got != size) {
                throw ApiError.badRequest("the upload ended after " + got + " of " + size + " bytes");
            }
            Path target = dir.resolve(fileUUID);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            int marked = db.write(c -> update(c, "UPDATE uploads SET uploaded=1 WHERE file_uuid=?", fileUUID));
            if (marked == 0) { // cancelled while the bytes were arriving
                Files.deleteIfExists(target);
                throw ApiError.notFound("the upload was cancelled");
            }
            return Http.object().put("uuid", fileUUID).put("size", size);
        } catch (IOException e) {
            // Mostly a client that went away mid-body; either way nothing partial stays.
            throw ApiError.badRequest("the upload could not be read to its end");
        } finally {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // .partial is swept at the next start
                }
            }
        }
    }

    /** Copies at most {@code limit} bytes; returns how many there were. */
    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        while (total < limit) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, limit - total));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    /** {@code POST /message/confirm {messageUUID}}: commits a pending message whose files are all uploaded. */
    Message confirm(String sender, Body b) {
        String uuid = b.has("messageUUID") ? b.string("messageUUID", 64) : b.string("uuid", 64);
        return db.write(c -> {
            Pending p = pending(c, uuid);
            if (p == null || !p.sender().equals(sender)) {
                throw ApiError.notFound("no pending message " + uuid);
            }
            if (p.messageId() != null) {
                return MessageReader.one(c, p.chat(), p.sub(), p.messageId(), sender); // a retried confirm
            }
            List<NewMessages.NewFile> files = new ArrayList<>();
            for (Upload u : uploads(c, uuid)) {
                Path f = dir.resolve(u.uuid());
                if (!u.uploaded() || !Files.isRegularFile(f) || sizeOf(f) != u.size()) {
                    throw new ApiError(409, "UPLOAD_INCOMPLETE", "file '" + u.name() + "' is not uploaded yet");
                }
                files.add(new NewMessages.NewFile(u.uuid(), u.name(), u.mimeType(), u.size(), u.duration()));
            }
            List<NewMessages.Reply> replies = Json.mapper().convertValue(parse(p.replies()), new TypeReference<>() { });
            NewMessages.Draft d = new NewMessages.Draft(p.chat(), p.sub(), p.content(), p.tempId(), files, replies);
            NewMessages.requireCanPost(c, d, sender);
            NewMessages.requireReplies(c, d);
            Message m = newMessages.commit(c, sender, d);
            update(c, "UPDATE pending_messages SET message_id=? WHERE uuid=?", m.id(), uuid);
            update(c, "DELETE FROM uploads WHERE message_uuid=?", uuid);
            return m;
        });
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("stored replies are not JSON", e);
        }
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return -1;
        }
    }

    private record Stored(String chat, int sub, String name, String mimeType, long size, Double duration) {
    }

    /** A file of a sent, not deleted message. */
    private static Stored stored(Connection c, String fileUUID) throws SQLException {
        try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT chat_uuid, sub_id, name, mime_type, size, duration"
                + " FROM message_files WHERE file_uuid=?", fileUUID); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? new Stored(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                    rs.getLong(5), rs.getObject(6) == null ? null : rs.getDouble(6)) : null;
        }
    }

    /** {@code GET /file?fileUUID=}: a download URL, for members of the file's chat only. */
    FileDownload info(String viewer, String fileUUID, String base) {
        return db.read(c -> {
            Stored s = stored(c, fileUUID);
            if (s == null) {
                throw ApiError.notFound("file not found");
            }
            Access.requireMember(c, s.chat(), viewer);
            Access.requireSub(c, s.chat(), s.sub());
            FileUrls.Signed url = urls.download(fileUUID);
            return new FileDownload(fileUUID, base + url.pathAndQuery(), Timestamps.of(url.expiresAt()),
                    s.name(), s.size(), s.mimeType(), s.duration());
        });
    }

    /** What {@code GET /files/download/<fileUUID>} streams. */
    record Download(Path file, long size, String mimeType) {
    }

    Download download(String fileUUID, String exp, String sig) {
        requireFileId(fileUUID);
        requireSignature("GET", fileUUID, exp, sig);
        Stored s = db.read(c -> stored(c, fileUUID));
        Path f = dir.resolve(fileUUID);
        if (s == null || !Files.isRegularFile(f)) {
            throw ApiError.notFound("file not found");
        }
        return new Download(f, s.size(), s.mimeType() == null ? "application/octet-stream" : s.mimeType());
    }

    /**
     * {@code DELETE /file}: cancels the pending message the file belongs to, with all its uploads. A send with the
     * same tempId afterwards starts afresh. A file of a sent message is removed by deleting the message.
     */
    ObjectNode cancel(String caller, String fileUUID) {
        return db.write(c -> {
            String message = queryString(c, "SELECT p.uuid FROM uploads u JOIN pending_messages p"
                    + " ON p.uuid = u.message_uuid WHERE u.file_uuid=? AND p.sender_uuid=?", fileUUID, caller);
            if (message == null) {
                if (stored(c, fileUUID) != null) {
                    throw ApiError.conflict("this file's message is already sent; delete the message instead");
                }
                throw ApiError.notFound("no upload of yours is waiting for this file");
            }
            List<String> files = ServerDatabase.queryStrings(c, "SELECT file_uuid FROM uploads WHERE message_uuid=?",
                    message);
            update(c, "DELETE FROM uploads WHERE message_uuid=?", message);
            update(c, "DELETE FROM pending_messages WHERE uuid=?", message);
            db.afterCommit(() -> discard(files));
            ObjectNode out = Http.object().put("messageUUID", message);
            out.set("cancelled", Json.mapper().valueToTree(files));
            return out;
        });
    }

    /** Removes stored bytes of files no message refers to any more. */
    void discard(List<String> fileUUIDs) {
        for (String f : fileUUIDs) {
            try {
                Files.deleteIfExists(dir.resolve(f));
            } catch (IOException ignored) {
                // an orphan file costs disk only; nothing refers to it
            }
        }
    }

    private void requireSignature(String method, String fileUUID, String exp, String sig) {
        switch (urls.check(method, fileUUID, exp, sig)) {
            case INVALID -> throw new ApiError(403, "SIGNATURE_INVALID", "the file URL's signature does not match");
            case EXPIRED -> throw new ApiError(403, "URL_EXPIRED", "the file URL has expired; ask for a new one");
            case VALID -> { }
        }
    }

    /** File ids are server UUIDs; anything else (a path, say) never names a file. */
    private static void requireFileId(String fileUUID) {
        try {
            if (UUID.fromString(fileUUID).toString().equals(fileUUID)) {
                return;
            }
        } catch (IllegalArgumentException ignored) {
            // falls through
        }
        throw ApiError.notFound("file not found");
    }
}
