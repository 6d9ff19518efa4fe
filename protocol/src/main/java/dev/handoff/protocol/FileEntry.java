package dev.handoff.protocol;

/** One file of a part type: its name, size in bytes and CRC32C (unsigned 32-bit). */
public record FileEntry(String name, long size, long crc32c) {

    public FileEntry {
        Names.requireName("files.name", name);
        Names.nonNegative("files.size", size);
        if (crc32c < 0 || crc32c > 0xFFFF_FFFFL) {
            throw new InvalidFieldException("files.crc32c", crc32c, "an unsigned 32-bit number 0-4294967295");
        }
    }
}
