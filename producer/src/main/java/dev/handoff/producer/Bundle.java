package dev.handoff.producer;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartKey;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One part id with all of its part types, as the liaison hands it to {@link HandoffProducer#enqueue}.
 * The types keep their order (it is the order of the records and of Fetch).
 */
public record Bundle(PartKey part, List<Type> types) {

    public Bundle {
        Names.required("part", part);
        types = List.copyOf(Names.required("types", types));
        if (types.isEmpty()) {
            throw new InvalidFieldException("types", "[]", "a bundle has at least one part type");
        }
        Set<String> seen = new HashSet<>();
        for (Type t : types) {
            if (!seen.add(t.type())) {
                throw new InvalidFieldException("types.type", t.type(), "each part type once per bundle");
            }
        }
    }

    public static Bundle of(PartKey part, Type... types) {
        return new Bundle(part, List.of(types));
    }

    /**
     * One part type: its name ({@code core}, {@code sidx_a}, ...), the flat directory holding its
     * files (every regular file in it belongs to the part) and its metadata.
     */
    public record Type(String type, Path directory, Map<String, Object> meta) {
        public Type {
            Names.requireName("types.type", type);
            Names.required("types.directory", directory);
            meta = meta == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(meta));
        }
    }
}
