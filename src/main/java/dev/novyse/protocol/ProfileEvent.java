package dev.novyse.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An entry of a user's profile log; {@code id} is dense per user. The payload carries the field-named key. */
public record ProfileEvent(long id, String userUUID, String type, String createdAt, ObjectNode payload) {
    /** Profile fields a payload may carry, in the public client's order. */
    public static final java.util.List<String> FIELDS = java.util.List.of(
            "name", "surname", "biography", "profilePictureUUID", "bannerPictureUUID",
            "birthday", "region", "country", "color", "handle");
}
