package dev.handoff.protocol;

import dev.handoff.protocol.json.OptionalField;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One part type of a bundle ({@code core}, {@code sidx_*}, ...): its files and its metadata. */
public record PartTypeEntry(String type, List<FileEntry> files, @OptionalField Map<String, Object> meta) {

    public PartTypeEntry {
        Names.requireName("types.type", type);
        files = List.copyOf(Names.required("types.files", files));
        if (files.isEmpty()) {
            throw new InvalidFieldException("types.files", type, "a part type has at least one file");
        }
        Set<String> seen = new HashSet<>();
        for (FileEntry f : files) {
            if (!seen.add(f.name())) {
                throw new InvalidFieldException("types.files.name", f.name(), "unique within part type " + type);
            }
        }
        meta = meta == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(meta));
    }

    /** Sum of the file sizes. */
    public long bytes() {
        long total = 0;
        for (FileEntry f : files) {
            total += f.size();
        }
        return total;
    }
}
