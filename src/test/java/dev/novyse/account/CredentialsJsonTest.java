package dev.novyse.account;

import dev.novyse.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The credentials file read and written without the ObjectMapper stays the file the mapper wrote and read. */
class CredentialsJsonTest {
    @TempDir
    Path dir;

    private final Credentials full = new Credentials("http://127.0.0.1:8080", "alice", "u-1", 42L, "secret \"quoted\" ü",
            "tok.en", "2026-12-04T15:00:00Z");

    @Test
    void aFileTheMapperWroteReadsTheSame() throws IOException {
        Path f = dir.resolve("credentials.json");
        Files.writeString(f, Json.mapper().writeValueAsString(full));
        assertEquals(full, CredentialsJson.read(f));
        Credentials partial = new Credentials("http://h", "bob", null, 7L, "s", null, null);
        Files.writeString(f, Json.mapper().writeValueAsString(partial));
        assertEquals(partial, CredentialsJson.read(f));
    }

    @Test
    void whatItWritesTheMapperReadsTheSameAndSoDoesIt() throws IOException {
        Path f = dir.resolve("credentials.json");
        Files.writeString(f, CredentialsJson.write(full));
        assertEquals(full, Json.mapper().readValue(f.toFile(), Credentials.class));
        assertEquals(full, CredentialsJson.read(f));
        Credentials partial = new Credentials("http://h", "bob", null, 7L, "s", null, null);
        assertEquals("{\"server\":\"http://h\",\"username\":\"bob\",\"sessionID\":7,\"sessionSecret\":\"s\"}",
                CredentialsJson.write(partial));
    }

    @Test
    void unknownNamesAreSkippedAndANumberMayBeAString() throws IOException {
        Path f = dir.resolve("credentials.json");
        Files.writeString(f, "{\"newer\":{\"a\":[1,2]},\"server\":\"http://h\",\"username\":\"c\",\"sessionID\":\"9\","
                + "\"token\":null,\"list\":[{}],\"sessionSecret\":\"s\"}");
        assertEquals(new Credentials("http://h", "c", null, 9L, "s", null, null), CredentialsJson.read(f));
    }

    @Test
    void aDamagedFileIsAnIoError() throws IOException {
        Path f = dir.resolve("credentials.json");
        Files.writeString(f, "{\"server\":\"http://h\",");
        assertThrows(IOException.class, () -> CredentialsJson.read(f));
        Files.writeString(f, "[1]");
        assertThrows(IOException.class, () -> CredentialsJson.read(f));
        Files.writeString(f, "{\"sessionID\":\"x\"}");
        assertThrows(IOException.class, () -> CredentialsJson.read(f));
    }
}
