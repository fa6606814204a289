package dev.novyse.server;

import dev.novyse.protocol.Role;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The permission table (docs/protocol.md#permissions): the roles every chat has, the rights each role grants in each
 * chat type, and how a role is written on the wire ({@code permission}: the role's own rights as a comma list).
 * {@link Access} enforces it; nothing else decides who may do what.
 */
final class Permissions {
    static final int MEMBER = 0;
    static final int ADMIN = 1;
    static final int OWNER = 2;

    /** Role ids as stored in {@code members.role_ids}: each role includes the ones below it. */
    static final String MEMBER_ROLES = "[0]";
    static final String ADMIN_ROLES = "[0,1]";
    static final String OWNER_ROLES = "[0,1,2]";

    private Permissions() {}

    /** The named rights; a member holds the union of the rights of their roles. */
    enum Right {
        SEND("post messages"),
        EDIT_OWN("edit your messages"),
        DELETE_OWN("delete your messages"),
        REACT("react to messages"),
        PIN("pin messages"),
        DELETE_ANY("delete other members' messages"),
        EDIT_CHAT("change the chat's name, description or handle"),
        MANAGE_SUBS("create, rename or delete sub-channels"),
        INVITE("invite members"),
        KICK("remove members"),
        BAN("ban or unban users"),
        MANAGE_ADMINS("grant or revoke the admin role"),
        TRANSFER_OWNERSHIP("hand over ownership");

        final String doing;

        Right(String doing) {
            this.doing = doing;
        }
    }

    private static final Set<Right> MEMBER_RIGHTS = EnumSet.of(Right.SEND, Right.EDIT_OWN, Right.DELETE_OWN, Right.REACT,
            Right.PIN);
    /** In a CHANNEL only admins post and pin; members read, react and keep their old messages in hand. */
    private static final Set<Right> CHANNEL_MEMBER_RIGHTS = EnumSet.of(Right.EDIT_OWN, Right.DELETE_OWN, Right.REACT);
    private static final Set<Right> ADMIN_RIGHTS = EnumSet.of(Right.SEND, Right.PIN, Right.DELETE_ANY, Right.EDIT_CHAT,
            Right.MANAGE_SUBS, Right.INVITE, Right.KICK, Right.BAN);
    private static final Set<Right> OWNER_RIGHTS = EnumSet.of(Right.MANAGE_ADMINS, Right.TRANSFER_OWNERSHIP);

    /** What one role grants in a chat of this type; a DM has members only. */
    static Set<Right> granted(String chatType, int roleId) {
        boolean dm = "DM".equals(chatType);
        return switch (roleId) {
            case MEMBER -> "CHANNEL".equals(chatType) ? CHANNEL_MEMBER_RIGHTS : MEMBER_RIGHTS;
            case ADMIN -> dm ? Set.of() : ADMIN_RIGHTS;
            case OWNER -> dm ? Set.of() : OWNER_RIGHTS;
            default -> Set.of();
        };
    }

    static Set<Right> rights(String chatType, Collection<Integer> roleIds) {
        Set<Right> out = EnumSet.noneOf(Right.class);
        for (int id : roleIds) {
            out.addAll(granted(chatType, id));
        }
        return out;
    }

    /** The highest level among the roles: a member may kick or ban only members of a lower level. */
    static int level(Collection<Integer> roleIds) {
        return roleIds.contains(OWNER) ? 1000 : roleIds.contains(ADMIN) ? 100 : 0;
    }

    /** The chat's {@code roles}, as the public shape lists them. */
    static List<Role> roles(String chatType) {
        List<Role> out = new ArrayList<>();
        out.add(role(chatType, MEMBER, "member", 0));
        if (!"DM".equals(chatType)) {
            out.add(role(chatType, ADMIN, "admin", 100));
            out.add(role(chatType, OWNER, "owner", 1000));
        }
        return out;
    }

    private static Role role(String chatType, int id, String name, int level) {
        String permission = granted(chatType, id).stream().map(Enum::name).collect(Collectors.joining(","));
        return new Role(id, name, permission, level, null);
    }
}
