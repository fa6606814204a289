package dev.novyse.cli;

import dev.novyse.io.PrivateFiles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * sqlite-jdbc copies its native library into the temp directory on every start, which one-shot commands pay
 * for each time. This keeps one copy per driver version in {@code $XDG_CACHE_HOME/novyse/native} and points the
 * driver at it. The process runs that code, so the copy and every folder down to it are made 0700/0600 whatever the
 * umask, and a copy is used only while it and those folders are still the user's own and closed to others (a copy
 * left open by an older version is replaced). Any failure leaves the driver's own behaviour in place.
 */
final class NativeLibraryCache {
    private NativeLibraryCache() {}

    static void install() {
        if (System.getProperty("org.sqlite.lib.path") != null) {
            return;
        }
        try {
            String folder = nativeFolder();
            String name = System.mapLibraryName("sqlitejdbc").replace(".dylib", ".jnilib");
            String resource = "/org/sqlite/native/" + folder + "/" + name;
            String version = org.sqlite.SQLiteJDBCLoader.getVersion();
            Path novyse = cacheHome().resolve("novyse");
            Path dir = novyse.resolve("native").resolve(version + "-" + folder.replace('/', '-'));
            Path lib = dir.resolve(name);
            PrivateFiles.directories(dir);
            if (!trusted(novyse, dir)) {
                return;
            }
            if (Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS) && !PrivateFiles.ownedAndClosed(lib)) {
                Files.delete(lib);
            }
            if (!Files.isRegularFile(lib, LinkOption.NOFOLLOW_LINKS)) {
                try (InputStream in = NativeLibraryCache.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        return;
                    }
                    Path tmp = PrivateFiles.tempFile(dir, name, ".part");
                    // Into the 0600 file itself: Files.copy with REPLACE_EXISTING deletes it and makes one under the umask.
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        in.transferTo(out);
                    }
                    Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toString());
            System.setProperty("org.sqlite.lib.name", name);
        } catch (IOException | RuntimeException | LinkageError e) {
            // the driver extracts to the temp directory as usual
        }
    }

    /**
     * Every folder from {@code top} down to {@code dir} is the user's and closed to others. One that is the user's
     * but open (made under a loose umask by an older version) is closed, and the copies below it are dropped: they
     * may have been replaced while it was open.
     */
    private static boolean trusted(Path top, Path dir) throws IOException {
        boolean reopened = false;
        for (Path p = dir; p != null && p.startsWith(top); p = p.getParent()) {
            if (!PrivateFiles.ownedAndClosed(p)) {
                if (!PrivateFiles.ownedByThisUser(p) || !PrivateFiles.close(p)) return false;
                reopened = true;
            }
        }
        if (reopened) {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        }
        return true;
    }

    private static Path cacheHome() {
        String v = System.getenv("XDG_CACHE_HOME");
        if (v != null && !v.isBlank() && Path.of(v).isAbsolute()) {
            return Path.of(v);
        }
        return Path.of(System.getProperty("user.home"), ".cache");
    }

    /**
     * The driver's folder name for this platform. Its own detection forks {@code uname -o} to rule out Termux,
     * 50-70 ms of every command's start, {@code --version}'s included (docs/benchmarks.md); glibc Linux on x86_64
     * and aarch64 is named here without it, anything else asks the driver. A wrong name costs nothing but time: the
     * library found there fails to load and the driver then finds its own.
     */
    static String nativeFolder() {
        String arch = System.getProperty("os.arch", "");
        String known = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "aarch64" : null;
        if (known != null && System.getProperty("os.name", "").equals("Linux") && !Files.exists(Path.of("/system/build.prop"))
                && !System.getProperty("java.vm.vendor", "").contains("Android") && !muslProcess()) {
            return "Linux/" + known;
        }
        return org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
    }

    /** Whether this JVM runs on musl (Alpine): its loader shows in the process's own mappings. */
    private static boolean muslProcess() {
        // a plain loop: a stream's lambda would be the command's first, and spinning one up costs ~20 ms this early
        try (java.io.BufferedReader maps = Files.newBufferedReader(Path.of("/proc/self/maps"))) {
            for (String line = maps.readLine(); line != null; line = maps.readLine()) {
                if (line.contains("musl")) return true;
            }
            return false;
        } catch (IOException e) {
            return true; // cannot tell: the driver decides
        }
    }
}
