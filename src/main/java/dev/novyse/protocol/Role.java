package dev.novyse.protocol;

public record Role(int id, String name, String permission, Integer level, String color) {
}
