package dev.novyse.store;

/** How far one member has read in a (chat, sub): every message with {@code id <= messageID}. */
public record ReadMarker(String userUUID, String name, long messageID) {
    /** How far {@code userUUID} has read, among a (chat, sub)'s {@code reads}; 0 when not at all. */
    public static long upTo(java.util.List<ReadMarker> reads, String userUUID) {
        long upTo = 0;
        for (ReadMarker r : reads) if (r.userUUID().equals(userUUID)) upTo = Math.max(upTo, r.messageID());
        return upTo;
    }
}
