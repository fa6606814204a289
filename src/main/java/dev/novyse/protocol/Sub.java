package dev.novyse.protocol;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A sub-channel of a chat; sub 0 is the main channel of every chat. */
public record Sub(int id, String name, String type,
                  @JsonProperty("created_at") @JsonAlias("createdAt") String createdAt) {
}
