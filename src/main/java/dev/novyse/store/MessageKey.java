package dev.novyse.store;

/** A stored message's key: its chat, its sub and its id in that sub, as the message table's primary key. */
record MessageKey(String chat, int sub, long id) {
}
