package dev.novyse.protocol;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * {@code data} of {@code GET /user/initialize}. Extension: {@code hasMore} is true when the server capped
 * {@code messages}; the client then continues with {@code POST /user/update} from its per-sub cursors.
 */
public record InitializeData(Local local, List<User> users, List<Chat> chats, List<Message> messages,
                             Boolean hasMore) {
    public record Local(User user, List<PinnedChat> pinnedChats, Map<String, JsonNode> settings,
                        List<FavoriteMessage> favoriteMessages) {
    }
}
