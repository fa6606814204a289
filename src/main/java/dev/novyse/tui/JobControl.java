package dev.novyse.tui;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a shell could bring novyse back after C-z. The kernel discards SIGTSTP sent to an orphaned process group
 * (no member has a parent in the same session but another group: nobody there could continue it), which is where
 * novyse runs without a job-control shell — started by {@code ssh host novyse}, {@code tmux new-window novyse} or
 * {@code exec novyse}. C-z would then only blink the screen; the chat screen says so instead. Read from /proc;
 * where that cannot be read, a stop is tried as before.
 */
final class JobControl {
    private JobControl() {
    }

    /** False only when /proc says the process group is orphaned. */
    static boolean canStop() {
        try {
            Stat self = Stat.of(Path.of("/proc/self/stat"));
            if (self == null) return true;
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    Stat member = Stat.of(proc.resolve("stat"));
                    if (member == null || member.pgrp != self.pgrp) continue;
                    Stat parent = Stat.of(Path.of("/proc", String.valueOf(member.ppid), "stat"));
                    if (parent != null && parent.session == self.session && parent.pgrp != self.pgrp) return true;
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** The fields of /proc/PID/stat this needs; the command name may hold spaces and parentheses. */
    private record Stat(long ppid, long pgrp, long session) {
        static Stat of(Path file) {
            try {
                String s = Files.readString(file);
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                // after the name: state, ppid, pgrp, session
                return new Stat(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
            } catch (IOException | RuntimeException gone) {
                return null; // a process that ended meanwhile, or no /proc
            }
        }
    }
}
