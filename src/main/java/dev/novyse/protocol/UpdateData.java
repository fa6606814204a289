package dev.novyse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * {@code data} of {@code POST /user/update}. Extensions: {@code chats.removed} (chats the client listed but may no
 * longer see) and {@code hasMore} (the server capped {@code messages}; ask again with the advanced cursors).
 */
public record UpdateData(Chats chats, Users users, List<Message> messages, List<UserEvent> local, Boolean hasMore) {
    public record Chats(@JsonProperty("new") List<Chat> created, List<ChatEvent> events, List<String> removed) {
    }

    public record Users(@JsonProperty("new") List<User> created, List<ProfileEvent> events) {
    }

    public boolean more() {
        return Boolean.TRUE.equals(hasMore);
    }
}
