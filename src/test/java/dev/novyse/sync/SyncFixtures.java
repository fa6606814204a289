package dev.novyse.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.UpdateData;

/** Hand-written server replies (the {@code data} part), parsed with the project's one mapper. */
final class SyncFixtures {
    private SyncFixtures() {}

    static final String INITIALIZE = """
            {"local": {"user": {"uuid": "u-me", "name": "Me", "handle": "me", "profileEventID": 1, "eventID": 3},
                       "pinnedChats": [{"chatUUID": "g1", "position": 0}],
                       "settings": {"theme": "dark"},
                       "favoriteMessages": [{"chatUUID": "g1", "subID": 0, "messageID": 1,
                                             "createdAt": "2025-01-01T00:00:09Z"}]},
             "users": [{"uuid": "u-ann", "name": "Ann", "handle": "ann", "profileEventID": 4}],
             "chats": [{"uuid": "g1", "type": "GROUP", "name": "Garden", "handle": "garden", "eventID": 10,
                        "members": [{"uuid": "u-me", "roleIDs": [1], "joinedAt": "2025-01-01T00:00:00Z"},
                                    {"userUUID": "u-ann", "roles": [0], "joined_at": "2025-01-01T00:00:00Z"}],
                        "roles": [{"id": 0, "name": "member"}, {"id": 1, "name": "admin", "permission": "ADMIN"}],
                        "subs": [{"id": 0, "name": "general", "type": "DEFAULT"}],
                        "pinnedMessages": [{"subID": 0, "messageID": 2, "pinnedAt": "2025-01-01T00:00:05Z",
                                            "pinnedBy": "u-ann"}]}],
             "messages": [
               {"id": 1, "chatUUID": "g1", "subID": 0, "userUUID": "u-ann", "content": "one",
                "created_at": "2025-01-01T00:00:01Z", "files": [{"uuid": "f1", "name": "a.txt", "size": 3}]},
               {"id": 2, "chatUUID": "g1", "subID": "0", "senderUUID": "u-me", "content": "two",
                "createdAt": "2025-01-01T00:00:02Z", "pinned": "1", "pinnedAt": "2025-01-01T00:00:05Z",
                "pinnedBy": "u-ann", "reactions": [{"userUUID": "u-ann", "emoji": "🔥"}],
                "reads": [{"userUUID": "u-ann", "readAt": "2025-01-01T00:00:03Z"}]},
               {"id": 3, "chatUUID": "g1", "subID": 0, "userUUID": "u-ann", "content": "three",
                "created_at": "2025-01-01T00:00:03Z",
                "replyTos": [{"chatUUID": "g1", "subID": 0, "messageID": 1}]}
             ]}
            """;

    static final String UPDATE = """
            {"chats": {"new": [{"uuid": "d1", "type": "DM", "eventID": 2,
                                "members": [{"uuid": "u-me"}, {"uuid": "u-bob"}],
                                "subs": [{"id": 0, "name": "general", "type": "DEFAULT"}],
                                "messages": [{"id": 1, "subID": 0, "userUUID": "u-bob", "content": "yo",
                                              "created_at": "2025-01-01T00:01:00Z"}]}],
                       "events": [
               {"id": 9,  "type": "CHAT_RENAMED", "chatUUID": "g1", "userUUID": "u-me", "payload": {"name": "stale"}},
               {"id": 11, "type": "MESSAGE_EDITED", "chatUUID": "g1", "userUUID": "u-ann",
                "createdAt": "2025-01-01T00:02:00Z",
                "payload": {"messageID": 1, "subID": 0, "content": "edited one",
                            "files": [{"uuid": "f2", "name": "b.txt", "size": 4}]}},
               {"id": 12, "type": "REACTION_ADDED", "chatUUID": "g1", "userUUID": "u-ann",
                "payload": {"messageID": 2, "subID": 0, "reaction": "😀"}},
               {"id": 13, "type": "REACTION_ADDED", "chatUUID": "g1", "userUUID": "u-me",
                "payload": {"messageID": "2", "subID": 0, "emoji": "👍"}},
               {"id": 14, "type": "REACTION_REMOVED", "chatUUID": "g1", "userUUID": "u-ann",
                "payload": {"messageID": 2, "subID": 0, "reaction": "🔥"}},
               {"id": 15, "type": "MESSAGE_PINNED", "chatUUID": "g1", "userUUID": "u-me",
                "createdAt": "2025-01-01T00:02:05Z", "payload": {"messageID": 1, "subID": 0}},
               {"id": 16, "type": "MESSAGE_UNPINNED", "chatUUID": "g1", "userUUID": "u-me",
                "payload": {"messageID": 2, "subID": 0}},
               {"id": 17, "type": "MESSAGE_READ", "chatUUID": "g1", "userUUID": "u-me",
                "createdAt": "2025-01-01T00:02:07Z", "payload": {"messageID": 4, "subID": 0}},
               {"id": 18, "type": "SUB_CREATED", "chatUUID": "g1", "userUUID": "u-me",
                "payload": {"subID": 1, "name": "ideas", "type": "TEXT"}},
               {"id": 19, "type": "SUB_RENAMED", "chatUUID": "g1", "userUUID": "u-me",
                "payload": {"subID": 1, "name": "plans", "type": "TEXT"}},
               {"id": 20, "type": "SUB_CREATED", "chatUUID": "g1", "userUUID": "u-me",
                "payload": {"subID": 2, "name": "tmp", "type": "TEXT"}},
               {"id": 21, "type": "SUB_DELETED", "chatUUID": "g1", "userUUID": "u-me", "payload": {"subID": 2}},
               {"id": 22, "type": "MEMBER_JOINED", "chatUUID": "g1", "userUUID": "u-bob",
                "createdAt": "2025-01-01T00:02:22Z", "payload": {"roleIDs": [0]}},
               {"id": 23, "type": "MEMBER_LEFT", "chatUUID": "g1", "userUUID": "u-ann", "payload": {}},
               {"id": 24, "type": "CHAT_RENAMED", "chatUUID": "g1", "userUUID": "u-me", "payload": {"name": "Garden 2"}},
               {"id": 25, "type": "MESSAGE_DELETED", "chatUUID": "g1", "userUUID": "u-ann",
                "createdAt": "2025-01-01T00:02:25Z", "payload": {"messageID": 3, "subID": 0}},
               {"id": 26, "type": "SOMETHING_NEW", "chatUUID": "g1", "userUUID": "u-me", "payload": {"x": 1}},
               {"id": 27, "type": "MESSAGE_EDITED", "chatUUID": "g1", "userUUID": "u-ann",
                "payload": {"messageID": 99, "subID": 0, "content": "ghost"}},
               {"id": 5, "type": "MEMBER_LEFT", "chatUUID": "nowhere", "userUUID": "u-ann", "payload": {}}
                       ]},
             "users": {"new": [{"uuid": "u-bob", "name": "Bob", "handle": "bob", "profileEventID": 1}],
                       "events": [
               {"id": 5, "userUUID": "u-ann", "type": "BIO_CHANGED", "payload": {"biography": "gardener"}},
               {"id": 3, "userUUID": "u-ann", "type": "NAME_CHANGED", "payload": {"name": "Old Ann"}},
               {"id": 6, "userUUID": "u-ann", "type": "HANDLE_CHANGED", "payload": {"handle": "annie", "current": "annie"}},
               {"id": 1, "userUUID": "u-ghost", "type": "NAME_CHANGED", "payload": {"name": "Ghost"}}
                       ]},
             "messages": [{"id": 4, "chatUUID": "g1", "subID": 0, "userUUID": "u-ann", "content": "four",
                           "created_at": "2025-01-01T00:02:01Z"}],
             "local": [
               {"id": 2, "type": "CHAT_UNPINNED", "payload": {"chatUUID": "g1"}},
               {"id": 4, "type": "CHAT_UNPINNED", "payload": {"chatUUID": "g1"}},
               {"id": 5, "type": "MESSAGE_FAVORITED", "createdAt": "2025-01-01T00:03:05Z",
                "payload": {"chatUUID": "g1", "subID": 0, "messageID": 2}},
               {"id": 6, "type": "MESSAGE_UNFAVORITED", "payload": {"chatUUID": "g1", "subID": 0, "messageID": 1}},
               {"id": 7, "type": "SETTING_UPDATED", "payload": {"key": "theme", "value": "light"}},
               {"id": 8, "type": "CHAT_PINNED", "chatUUID": "g1", "payload": {"position": 2}},
               {"id": 9, "type": "UNKNOWN_LOCAL", "payload": {}}
             ]}
            """;

    static InitializeData initialize(String json) {
        return parse(json, InitializeData.class);
    }

    static UpdateData update(String json) {
        return parse(json, UpdateData.class);
    }

    static <T> T parse(String json, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("bad fixture: " + e.getMessage(), e);
        }
    }
}
