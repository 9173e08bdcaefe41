package dev.kobj.elf;

/**
 * One {@code key=value} string of a Linux module's {@code .modinfo} section (what
 * {@code modinfo} prints as {@code key: value}).
 *
 * @param key    the text before the first '='
 * @param value  the text after it (empty when the string has no '=')
 * @param offset the string's offset inside {@code .modinfo}
 */
public record ModInfoEntry(String key, String value, long offset) {
}
