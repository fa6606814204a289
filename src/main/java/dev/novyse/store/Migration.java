package dev.novyse.store;

import java.util.List;

/** One numbered schema step; its statements and the {@code user_version} bump commit together. */
record Migration(int version, String description, List<String> statements) {
}
