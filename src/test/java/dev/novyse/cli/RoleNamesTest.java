package dev.novyse.cli;

import dev.novyse.protocol.Role;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RoleNamesTest {
    static final List<Role> ROLES = List.of(new Role(0, "member", null, 0, null), new Role(1, "admin", null, 100, null),
            new Role(2, "owner", null, 1000, null));

    @Test
    void theHighestRoleByLevelNamesAMember() {
        assertEquals("owner", RoleNames.highest(RoleNames.held(ROLES, List.of(0, 1, 2))));
        assertEquals("admin", RoleNames.highest(RoleNames.held(ROLES, List.of(1, 0))));
        assertEquals("member", RoleNames.highest(RoleNames.held(ROLES, List.of(0))));
        assertNull(RoleNames.highest(List.of()), "no member row: no role");
    }

    @Test
    void aRoleKnownByIdOnlyIsNamedByItAndRanksBelowTheNamedOnes() {
        List<Role> held = RoleNames.held(ROLES, List.of(0, 9));
        assertEquals(List.of("member", "role 9"), held.stream().map(RoleNames::name).toList());
        assertEquals("member", RoleNames.highest(held), "a role without a level ranks below any with one");
        assertEquals("role 9", RoleNames.highest(RoleNames.held(List.of(), List.of(9))));
        // A newer server's role with a level above the owner's is named as that server names it.
        assertEquals("founder", RoleNames.highest(List.of(new Role(2, "owner", null, 1000, null),
                new Role(5, "founder", null, 5000, null))));
    }
}
