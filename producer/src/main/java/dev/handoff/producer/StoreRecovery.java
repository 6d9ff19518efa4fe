package dev.handoff.producer;

import dev.handoff.protocol.InvalidRecordException;
import dev.handoff.protocol.Names;
import dev.handoff.protocol.common.Durable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up repair of the store's files: finishes interrupted deletions, removes incomplete enqueues (no
 * manifest: the caller never got success) and reads every complete bundle's manifest. Runs once, on the
 * starting thread, before anything else touches the store.
 */
final class StoreRecovery {
    private static final Logger LOGGER = LoggerFactory.getLogger(StoreRecovery.class);

    private final StoreLayout layout;

    StoreRecovery(StoreLayout layout) {
        this.layout = layout;
    }

    /**
     * Repairs the store and returns the manifests of its complete bundles. At the first start it creates the
     * store root and {@code <liaison>/}, fsyncing the parent of each through {@code sync}.
     */
    List<Manifest> recover(Durable.DirectorySync sync) throws IOException {
        Path liaisonDir = layout.liaisonDir();
        Durable.createDirectories(liaisonDir, sync);
        List<Manifest> loaded = new ArrayList<>();
        for (Path group : children(liaisonDir)) {
            if (!Names.isValid(group.getFileName().toString()) || !Files.isDirectory(group)) {
                continue;
            }
            for (Path shard : children(group)) {
                if (StoreLayout.isShardDir(shard.getFileName().toString())) {
                    recoverShard(shard, loaded);
                }
            }
        }
        return loaded;
    }

    private void recoverShard(Path shardDir, List<Manifest> loaded) throws IOException {
        for (Path dir : children(shardDir)) {
            String name = dir.getFileName().toString();
            if (StoreLayout.isDeletingDir(name)) {
                LOGGER.atInfo().addKeyValue("dir", dir).log("finishing a deletion interrupted by a crash");
                Durable.deleteTree(dir);
            } else if (StoreLayout.isPartDir(name)) {
                Optional<Manifest> m = readManifest(dir);
                if (m.isPresent()) {
                    loaded.add(m.get());
                } else {
                    LOGGER.atWarn().addKeyValue("dir", dir).log("removing an enqueue that never completed (no manifest)");
                    Durable.deleteTree(dir);
                }
            }
        }
        Durable.fsyncDirectory(shardDir);
    }

    private Optional<Manifest> readManifest(Path bundleDir) throws IOException {
        Path file = bundleDir.resolve(StoreLayout.MANIFEST);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Manifest m;
        try {
            m = Manifest.fromJson(Files.readAllBytes(file));
        } catch (InvalidRecordException e) {
            throw new IOException("unreadable manifest " + file + ": " + e.getMessage(), e);
        }
        if (!layout.bundleDir(m.part()).equals(bundleDir.toAbsolutePath().normalize())) {
            throw new IOException("manifest " + file + " describes " + m.part() + ", which belongs elsewhere");
        }
        return Optional.of(m);
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(out::add);
        }
        return out;
    }
}
