package dev.handoff.producer;

import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.PartTypeEntry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What an enqueue will link: every source file, validated before anything is written, and their total size. */
record BundlePlan(Bundle bundle, List<SourceType> types, long bytes) {

    /** The files of one source type directory, sorted by name. */
    record SourceType(Bundle.Type type, List<Path> files) {
    }

    /** Lists and validates the bundle's files; refuses bad names naming the field, and anything not a plain file. */
    static BundlePlan of(Bundle bundle, StoreLayout layout) throws StoreIoException {
        layout.bundleDir(bundle.part());
        List<SourceType> types = new ArrayList<>();
        long bytes = 0;
        for (Bundle.Type t : bundle.types()) {
            StoreLayout.requireTypeName(t.type());
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(t.directory())) {
                for (Path f : dir) {
                    String name = f.getFileName().toString();
                    Names.requireName("files.name", name);
                    if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                        throw new InvalidFieldException("files.name", t.type() + "/" + name, "a part type is a flat directory of regular files");
                    }
                    files.add(f);
                    bytes += Files.size(f);
                }
            } catch (IOException e) {
                throw new StoreIoException("cannot list part type " + t.type() + " of " + bundle.part() + " in " + t.directory(), e);
            }
            if (files.isEmpty()) {
                throw new InvalidFieldException("types.files", t.type(), "a part type has at least one file");
            }
            files.sort(null);
            types.add(new SourceType(t, files));
        }
        return new BundlePlan(bundle, types, bytes);
    }

    /** The planned files as record entries; checksums are not known yet, so the widest one stands in. */
    List<PartTypeEntry> plannedTypes() throws StoreIoException {
        List<PartTypeEntry> entries = new ArrayList<>();
        for (SourceType st : types) {
            List<FileEntry> files = new ArrayList<>();
            for (Path f : st.files()) {
                try {
                    files.add(new FileEntry(f.getFileName().toString(), Files.size(f), 0xFFFF_FFFFL));
                } catch (IOException e) {
                    throw new StoreIoException("cannot read the size of " + f, e);
                }
            }
            entries.add(new PartTypeEntry(st.type().type(), files, st.type().meta()));
        }
        return entries;
    }
}
