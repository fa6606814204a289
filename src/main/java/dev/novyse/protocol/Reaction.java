package dev.novyse.protocol;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;

public record Reaction(String userUUID, @JsonAlias("emoji") String reaction,
                       @JsonProperty("created_at") @JsonAlias("createdAt") String createdAt) {
}
