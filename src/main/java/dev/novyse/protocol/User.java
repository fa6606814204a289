package dev.novyse.protocol;

/**
 * A user profile. {@code eventID} is present only on {@code local.user} of an initialize reply
 * (the account's own user-event cursor).
 */
public record User(String uuid, String name, String surname, String handle,
                   String profilePictureUUID, String bannerPictureUUID, String biography,
                   String birthday, String region, String country, String color,
                   Long profileEventID, Long eventID) {
}
