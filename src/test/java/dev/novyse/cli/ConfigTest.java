package dev.novyse.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsKeyValueLinesAndFlagsWin() throws Exception {
        Path f = dir.resolve("config");
        Files.writeString(f, "# novyse\nserver = http://example.test:9000\n\naccount=alice\ntheme =\n");
        Config c = Config.load(f);
        assertEquals("http://example.test:9000", c.get("server"));
        assertEquals("alice", c.get("account"));
        assertNull(c.get("theme"), "an empty value counts as unset");
        assertEquals("bob", c.pick("bob", "NOVYSE_TEST_UNSET_VARIABLE", "account"));
        assertEquals("alice", c.pick(null, "NOVYSE_TEST_UNSET_VARIABLE", "account"));
    }

    @Test
    void aMissingFileIsEmptyAndAMalformedLineIsAUsageError() throws Exception {
        assertNull(Config.load(dir.resolve("absent")).get("server"));
        Path f = dir.resolve("config");
        Files.writeString(f, "server\n");
        CliException e = assertThrows(CliException.class, () -> Config.load(f));
        assertEquals(ExitCodes.USAGE, e.exitCode());
    }
}
