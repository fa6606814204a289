package dev.novyse.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The launcher names the driver's native folder without the driver's detection (which forks a process). */
class NativeLibraryFolderTest {
    @Test
    void theFolderIsTheOneTheDriverWouldPick() {
        assertEquals(org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS(), NativeLibraryCache.nativeFolder());
    }
}
