package dev.novyse.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A private event of the account itself; {@code id} is dense per user. */
public record UserEvent(long id, String type, String chatUUID, String createdAt, ObjectNode payload) {
    public static final String CHAT_PINNED = "CHAT_PINNED";
    public static final String CHAT_UNPINNED = "CHAT_UNPINNED";
    public static final String MESSAGE_FAVORITED = "MESSAGE_FAVORITED";
    public static final String MESSAGE_UNFAVORITED = "MESSAGE_UNFAVORITED";
    public static final String SETTING_UPDATED = "SETTING_UPDATED";
}
