package dev.novyse.protocol;

import java.util.List;

/**
 * The reply to {@code POST /message} when the message carries files: {@code status} is {@code "pending"}, the
 * message waits under {@code messageUUID} (also sent as {@code uuid}, the public client reads either) until each
 * file is PUT to its {@code uploadURL} and the author calls {@code POST /message/confirm}. {@code uploaded} (an
 * extension) says which files the server already holds, so a retried send skips them.
 */
public record PendingSend(String status, String messageUUID, String uuid, String chatUUID, int subID,
                          String tempId, List<Upload> files) {
    public static final String STATUS = "pending";

    public record Upload(String uuid, String name, String mimeType, long size, Double duration, String uploadURL,
                         String expiresAt, boolean uploaded) {
    }
}
