package dev.novyse.store;

/** A (chat, sub): the key of a writer's per-sub message cursors. */
record SubKey(String chat, int sub) {
    // Written out: a record's own equals and hashCode are method-handle chains bootstrapped on first use, which a
    // one-shot sync's cold JVM runs through the method-handle interpreter on every map lookup of a page and
    // then spins classes for (seven fewer generated classes per catch-up without them, with MessageKey's).
    @Override
    public boolean equals(Object o) {
        return o instanceof SubKey k && k.sub == sub && k.chat.equals(chat);
    }

    @Override
    public int hashCode() {
        return chat.hashCode() * 31 + sub;
    }
}
