package dev.novyse.protocol;

import com.fasterxml.jackson.annotation.JsonAlias;

import java.util.List;

public record Member(@JsonAlias("userUUID") String uuid,
                     @JsonAlias("roles") List<Integer> roleIDs,
                     @JsonAlias("joined_at") String joinedAt) {
}
