package dev.novyse.sync;

/** What one apply did; counted inside the transaction and only kept when it commits. */
public final class ApplyStats {
    public int chats;
    public int users;
    public int messages;
    public int chatEvents;
    public int profileEvents;
    public int userEvents;
    public int removedChats;
    /** Events of a type this client does not know (skipped, counted in sync_state too). */
    public int skippedUnknown;
    /** Events at or below the cursor (already applied) or naming rows not stored (they arrive with state). */
    public int skippedOther;

    void add(ApplyStats o) {
        chats += o.chats;
        users += o.users;
        messages += o.messages;
        chatEvents += o.chatEvents;
        profileEvents += o.profileEvents;
        userEvents += o.userEvents;
        removedChats += o.removedChats;
        skippedUnknown += o.skippedUnknown;
        skippedOther += o.skippedOther;
    }
}
