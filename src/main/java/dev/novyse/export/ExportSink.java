package dev.novyse.export;

import java.io.IOException;

/** Receives exported rows one by one, in (chatUUID, subID, id) order. */
@FunctionalInterface
public interface ExportSink {
    void accept(ExportRow row) throws IOException;
}
