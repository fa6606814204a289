package dev.novyse.store;

/** A stored message's key: its chat, its sub and its id in that sub, as the message table's primary key. */
record MessageKey(String chat, int sub, long id) {
    // equals and hashCode written out, as SubKey's: see there.
    @Override
    public boolean equals(Object o) {
        return o instanceof MessageKey k && k.id == id && k.sub == sub && k.chat.equals(chat);
    }

    @Override
    public int hashCode() {
        return (chat.hashCode() * 31 + sub) * 31 + Long.hashCode(id);
    }
}
