package dev.novyse.cli;

import dev.novyse.protocol.Role;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How every command names a member's roles: by the chat's own role names (docs/protocol.md#roles), and as one word,
 * the highest of them by level, where a single answer is wanted ({@code chats}' {@code role}, a member's line). Each
 * role includes the ones below it, so the owner holds member, admin and owner; "owner" is what a person asks about.
 */
final class RoleNames {
    private RoleNames() {
    }

    /** A role's name; one the store knows only by id (a newer server's, or a chat not synced fully) as "role N". */
    static String name(Role r) {
        return r.name() == null || r.name().isBlank() ? "role " + r.id() : r.name();
    }

    /** The roles {@code ids} name among a chat's {@code roles}, in the order of {@code ids}. */
    static List<Role> held(List<Role> roles, List<Integer> ids) {
        Map<Integer, Role> byId = new HashMap<>();
        for (Role r : roles) {
            byId.put(r.id(), r);
        }
        return ids.stream().map(id -> byId.getOrDefault(id, new Role(id, null, null, null, null))).toList();
    }

    /** The name of the highest of {@code held} (by level, then id); null when it is empty (a member row not stored). */
    static String highest(List<Role> held) {
        return held.stream()
                .max(Comparator.comparingInt((Role r) -> r.level() == null ? Integer.MIN_VALUE : r.level())
                        .thenComparingInt(Role::id))
                .map(RoleNames::name).orElse(null);
    }
}
