package dev.novyse.protocol;

public record FileRef(String uuid, String name, String mimeType, Long size,
                      String waveform, Double duration, String downloadURL) {
}
