package dev.novyse.export.archive;

/** An archive that cannot be imported: not an export, a newer version, garbage, cut short. One line, fit for stderr. */
public final class ArchiveException extends RuntimeException {
    public ArchiveException(String message) {
        super(message, null, false, false);
    }
}
