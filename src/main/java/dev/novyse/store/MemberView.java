package dev.novyse.store;

import java.util.List;

/** A member of a chat; {@code name} and {@code handle} are null when the profile is not stored. */
public record MemberView(String userUUID, String name, String handle, List<Integer> roleIDs, String joinedAt) {
}
