package dev.novyse.protocol;

import java.util.List;

/** Body of {@code POST /user/update}: the client's cursors. */
public record UpdateRequest(Local local, List<ChatCursor> chats, List<UserCursor> users) {
    public record Local(long eventID) {
    }

    public record ChatCursor(String chatUUID, long eventID, List<SubCursor> subs) {
    }

    public record SubCursor(int subID, long messageID) {
    }

    public record UserCursor(String userUUID, long profileEventID) {
    }
}
