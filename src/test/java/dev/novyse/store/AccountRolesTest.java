package dev.novyse.store;

import dev.novyse.protocol.Chat;
import dev.novyse.protocol.Member;
import dev.novyse.protocol.Role;
import dev.novyse.protocol.Sub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link LocalDatabase#accountRoles}: the account's roles in each chat, from its member rows and the chats' roles. */
class AccountRolesTest {
    static final String ME = "u-me";

    @TempDir
    Path dir;

    static Chat chat(String uuid, List<Integer> myRoles) {
        return new Chat(uuid, "GROUP", uuid, null, null, 1L, null,
                List.of(new Member(ME, myRoles, Fixtures.at(0)), new Member("u-ann", List.of(0), Fixtures.at(0))),
                List.of(new Role(0, "member", "SEND", 0, null), new Role(1, "admin", "KICK", 100, null),
                        new Role(2, "owner", "TRANSFER_OWNERSHIP", 1000, null)),
                List.of(new Sub(0, "general", "DEFAULT", Fixtures.at(0))), List.of(), null);
    }

    @Test
    void eachChatGivesTheRolesTheAccountHoldsInIdOrderAndAnUnlistedIdByItself() {
        try (LocalDatabase db = LocalDatabase.open(dir.resolve("r.db"))) {
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                w.setState(StoreWriter.ACCOUNT_USER_UUID, ME);
                w.upsertChat(chat("owned", List.of(2, 0, 1)));
                w.upsertChat(chat("plain", List.of(0)));
                w.upsertChat(chat("newer", List.of(0, 7)));
                w.upsertChat(Fixtures.chat("other", "GROUP", "Other", null, 1, List.of("u-ann")));
                return null;
            });
            Map<String, List<Role>> roles = db.accountRoles();
            assertEquals(Set.of("owned", "plain", "newer"), roles.keySet(),
                    "no entry for a chat without the account's member row");
            assertEquals(List.of("member", "admin", "owner"), roles.get("owned").stream().map(Role::name).toList());
            assertEquals(List.of(1000), roles.get("owned").stream().skip(2).map(Role::level).toList());
            assertEquals(List.of("member"), roles.get("plain").stream().map(Role::name).toList());
            assertEquals(new Role(7, null, null, null, null), roles.get("newer").get(1));
        }
    }
}
