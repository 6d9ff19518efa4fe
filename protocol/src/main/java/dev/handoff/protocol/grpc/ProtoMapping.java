package dev.handoff.protocol.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.json.JsonCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Converts between the contract's records and their {@code handoff.v1} messages, validating on the way in. */
public final class ProtoMapping {
    private ProtoMapping() {
    }

    public static PartKey toProto(dev.handoff.protocol.PartKey key) {
        return PartKey.newBuilder().setLiaison(key.liaison()).setGroup(key.group())
            .setShard(key.shard()).setPartId(key.partId()).build();
    }

    /** @throws InvalidFieldException naming the field that breaks the contract */
    public static dev.handoff.protocol.PartKey fromProto(PartKey key) {
        if (key.getShard() < 0) {
            throw new InvalidFieldException("shard", Integer.toUnsignedString(key.getShard()), "0-2147483647");
        }
        return new dev.handoff.protocol.PartKey(key.getLiaison(), key.getGroup(), key.getShard(), key.getPartId());
    }

    public static PartTypeInfo toProto(PartTypeEntry type) {
        PartTypeInfo.Builder b = PartTypeInfo.newBuilder().setType(type.type());
        for (FileEntry f : type.files()) {
            b.addFiles(FileInfo.newBuilder().setName(f.name()).setSize(f.size()).setCrc32C((int) f.crc32c()));
        }
        try {
            b.setMetaJson(JsonCodec.mapper().writeValueAsString(type.meta()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write meta of " + type.type(), e);
        }
        return b.build();
    }

    public static List<PartTypeInfo> toProto(List<PartTypeEntry> types) {
        List<PartTypeInfo> out = new ArrayList<>(types.size());
        types.forEach(t -> out.add(toProto(t)));
        return out;
    }

    /** @throws InvalidFieldException naming the field that breaks the contract */
    public static PartTypeEntry fromProto(PartTypeInfo info) {
        List<FileEntry> files = new ArrayList<>(info.getFilesCount());
        for (FileInfo f : info.getFilesList()) {
            if (f.getSize() < 0) {
                throw new InvalidFieldException("files.size", Long.toUnsignedString(f.getSize()), "must be >= 0");
            }
            files.add(new FileEntry(f.getName(), f.getSize(), Integer.toUnsignedLong(f.getCrc32C())));
        }
        return new PartTypeEntry(info.getType(), files, meta("types.meta", info.getMetaJson()));
    }

    /** Part metadata from its JSON text (empty text is no metadata), naming {@code field} when it is not an object. */
    public static Map<String, Object> meta(String field, String json) {
        if (json.isEmpty()) {
            return Map.of();
        }
        try {
            return JsonCodec.mapper().readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new InvalidFieldException(field, json, "a JSON object");
        }
    }

    public static List<PartTypeEntry> fromProto(List<PartTypeInfo> infos) {
        List<PartTypeEntry> out = new ArrayList<>(infos.size());
        infos.forEach(i -> out.add(fromProto(i)));
        return out;
    }
}
