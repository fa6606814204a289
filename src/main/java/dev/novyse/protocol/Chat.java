package dev.novyse.protocol;

import com.fasterxml.jackson.annotation.JsonAlias;

import java.util.List;

/** A chat as the server sends it in initialize, {@code chats.new}, {@code chat:new} and create/join replies. */
public record Chat(String uuid, String type, String name, String description,
                   @JsonAlias("pictureUUID") String profilePictureUUID,
                   Long eventID, String handle,
                   List<Member> members, List<Role> roles, List<Sub> subs,
                   List<PinnedMessage> pinnedMessages, List<Message> messages) {
}
