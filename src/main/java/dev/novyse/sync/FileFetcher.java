package dev.novyse.sync;

import dev.novyse.protocol.FileDownload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Brings a file into the download cache, named by its uuid: a cached copy of the right size is used as it is,
 * anything else is fetched from the signed URL the server gives ({@code GET /file}) into a temporary file that is
 * renamed into place only when its size matches what the server declared. The CLI's {@code file get} and the
 * TUI's save both go through here.
 */
public final class FileFetcher {
    private final ApiClient api;
    private final Path cacheDir;

    /** The cached copy, and the file's name as the server (or the store) knows it. */
    public record Fetched(Path path, String name, long size) {
    }

    public FileFetcher(ApiClient api, Path cacheDir) {
        this.api = api;
        this.cacheDir = cacheDir;
    }

    /**
     * {@code knownSize} and {@code knownName}: what the local store says, or null; a cached file of the known size
     * needs no network at all.
     */
    public Fetched fetch(String uuid, Long knownSize, String knownName) {
        try {
            Files.createDirectories(cacheDir);
            Path cached = cacheDir.resolve(uuid);
            if (knownSize != null && Files.isRegularFile(cached) && Files.size(cached) == knownSize) {
                return new Fetched(cached, knownName, knownSize);
            }
            FileDownload info = ApiClient.decode(api.get("/file", Map.of("fileUUID", uuid)), FileDownload.class, "GET /file");
            if (info == null || info.downloadURL() == null || info.size() == null) {
                throw ApiException.badReply("the server's answer about file " + uuid + " is incomplete", null);
            }
            String name = info.name() != null ? info.name() : knownName;
            if (Files.isRegularFile(cached) && Files.size(cached) == info.size()) {
                return new Fetched(cached, name, info.size());
            }
            Path tmp = Files.createTempFile(cacheDir, uuid + ".", ".part");
            try {
                long got = api.download(info.downloadURL(), tmp);
                if (got != info.size()) {
                    throw ApiException.badReply("downloaded " + got + " bytes of " + name + ", the server declared "
                            + info.size(), null);
                }
                moveIntoPlace(tmp, cached);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return new Fetched(cached, name, info.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the file cache " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    /** Copies a fetched file to {@code target} through a temporary file beside it: a reader never sees half a file. */
    public static void copyInto(Path cached, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".novyse-", ".part");
        try {
            Files.copy(cached, tmp, StandardCopyOption.REPLACE_EXISTING);
            moveIntoPlace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** A file name from the server used as a local name: its last path element, no control characters. */
    public static String safeName(String name) {
        String n = name == null ? "" : name.replaceAll("[\\p{Cntrl}]", "_");
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        return n.isBlank() || n.equals(".") || n.equals("..") ? "download" : n;
    }
}
