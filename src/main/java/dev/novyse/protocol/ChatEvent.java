package dev.novyse.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An entry of a chat's event log; {@code id} is dense per chat. {@code userUUID} is the actor. */
public record ChatEvent(long id, String type, String chatUUID, String userUUID, String createdAt, ObjectNode payload) {
    public static final String MESSAGE_EDITED = "MESSAGE_EDITED";
    public static final String MESSAGE_DELETED = "MESSAGE_DELETED";
    public static final String REACTION_ADDED = "REACTION_ADDED";
    public static final String REACTION_REMOVED = "REACTION_REMOVED";
    public static final String MESSAGE_PINNED = "MESSAGE_PINNED";
    public static final String MESSAGE_UNPINNED = "MESSAGE_UNPINNED";
    public static final String MESSAGE_READ = "MESSAGE_READ";
    public static final String SUB_CREATED = "SUB_CREATED";
    public static final String SUB_RENAMED = "SUB_RENAMED";
    public static final String SUB_DELETED = "SUB_DELETED";
    public static final String MEMBER_JOINED = "MEMBER_JOINED";
    public static final String MEMBER_LEFT = "MEMBER_LEFT";
    /** Extension: the public client only broadcasts renames; this server logs them so they sync. */
    public static final String CHAT_RENAMED = "CHAT_RENAMED";
    /** Extension: {@code {description}}, the chat's new description (null: none). */
    public static final String CHAT_DESCRIPTION_CHANGED = "CHAT_DESCRIPTION_CHANGED";
    /** Extension: {@code {handle}}, the chat's new handle (null: none). */
    public static final String CHAT_HANDLE_CHANGED = "CHAT_HANDLE_CHANGED";
    /** Extension: {@code {userUUID, roleIDs}}, a member's roles after a grant, a revoke or a hand-over of ownership. */
    public static final String MEMBER_ROLES_CHANGED = "MEMBER_ROLES_CHANGED";
    /** Extension: {@code {userUUID, by}}, a user who is not a member banned (a member's ban is a MEMBER_LEFT). */
    public static final String MEMBER_BANNED = "MEMBER_BANNED";
    /** Extension: {@code {userUUID, by}}, a ban lifted. */
    public static final String MEMBER_UNBANNED = "MEMBER_UNBANNED";
}
