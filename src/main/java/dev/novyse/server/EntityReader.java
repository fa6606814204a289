package dev.novyse.server;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Member;
import dev.novyse.protocol.PinnedMessage;
import dev.novyse.protocol.Sub;
import dev.novyse.protocol.User;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Builds {@link User} and {@link Chat} records from the state tables. */
final class EntityReader {
    private EntityReader() {}

    private static final String USER_COLUMNS = "uuid, name, surname, username, profile_picture_uuid,"
            + " banner_picture_uuid, biography, birthday, region, country, color, profile_event_seq";

    static User user(Connection c, String uuid) throws SQLException {
        try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT " + USER_COLUMNS + " FROM users WHERE uuid=?", uuid);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? user(rs) : null;
        }
    }

    static List<User> users(Connection c, String sql, Object... args) throws SQLException {
        List<User> out = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT " + USER_COLUMNS + " FROM users WHERE " + sql, args);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(user(rs));
            }
        }
        return out;
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getLong(12), null);
    }

    /** Users who share a chat with {@code viewer}, the viewer included. */
    static List<User> contacts(Connection c, String viewer) throws SQLException {
        return users(c, "uuid = ? OR uuid IN (SELECT m2.user_uuid FROM members m1 JOIN members m2"
                + " ON m1.chat_uuid = m2.chat_uuid WHERE m1.user_uuid = ?) ORDER BY uuid", viewer, viewer);
    }

    static Chat chat(Connection c, String uuid) throws SQLException {
        String type;
        String name;
        String description;
        String handle;
        String picture;
        long eventId;
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT type, name, description, handle, picture_uuid, event_seq FROM chats WHERE uuid=?", uuid);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            type = rs.getString(1);
            name = rs.getString(2);
            description = rs.getString(3);
            handle = rs.getString(4);
            picture = rs.getString(5);
            eventId = rs.getLong(6);
        }
        List<Member> members = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT user_uuid, role_ids, joined_at FROM members WHERE chat_uuid=? ORDER BY joined_at, user_uuid", uuid);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                members.add(new Member(rs.getString(1), roleIds(rs.getString(2)), rs.getString(3)));
            }
        }
        List<Sub> subs = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT id, name, type, created_at FROM subs WHERE chat_uuid=? AND deleted=0 ORDER BY id", uuid);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                subs.add(new Sub(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
            }
        }
        List<PinnedMessage> pins = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT sub_id, message_id, pinned_at, pinned_by FROM pins WHERE chat_uuid=? ORDER BY pinned_at, sub_id, message_id",
                uuid); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                pins.add(new PinnedMessage(rs.getInt(1), rs.getLong(2), rs.getString(3), rs.getString(4)));
            }
        }
        return new Chat(uuid, type, name, description, picture, eventId, handle, members, Permissions.roles(type), subs, pins, null);
    }

    static List<Integer> roleIds(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<List<Integer>>() {});
        } catch (IOException e) {
            return List.of(Permissions.MEMBER);
        }
    }
}
