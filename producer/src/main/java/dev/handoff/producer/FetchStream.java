package dev.handoff.producer;

import com.google.protobuf.ByteString;
import dev.handoff.protocol.FileEntry;
import dev.handoff.protocol.PartTypeEntry;
import dev.handoff.protocol.grpc.FileChunk;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Fetch in progress: a cursor over the bundle's files that sends a chunk only while the call is
 * ready. Re-checks each file's size and CRC32C against the manifest while sending, so a corrupted
 * store file fails the call ({@code DATA_LOSS}) instead of reaching a data node. Confined to the
 * call's serialized executor (the method body, onReady and onCancel never run concurrently).
 */
final class FetchStream {
    private static final Logger LOGGER = LoggerFactory.getLogger(FetchStream.class);

    private record Item(String type, FileEntry file) {
    }

    private final StoreLayout layout;
    private final Manifest manifest;
    private final ServerCallStreamObserver<FileChunk> call;
    private final ProducerMetrics metrics;
    private final List<Item> items = new ArrayList<>();
    private final ByteBuffer buffer;
    private int index;
    private FileChannel channel;
    private long offset;
    private CRC32C crc;
    private boolean done;

    FetchStream(StoreLayout layout, Manifest manifest, int chunk, ServerCallStreamObserver<FileChunk> call,
                ProducerMetrics metrics) {
        this.layout = layout;
        this.manifest = manifest;
        this.call = call;
        this.metrics = metrics;
        this.buffer = ByteBuffer.allocate(chunk);
        for (PartTypeEntry t : manifest.types()) {
            t.files().forEach(f -> items.add(new Item(t.type(), f)));
        }
    }

    void pump() {
        try {
            while (!done && call.isReady()) {
                if (index == items.size()) {
                    finish(null);
                    return;
                }
                sendNext();
            }
        } catch (NoSuchFileException e) {
            finish(Status.NOT_FOUND.withDescription("bundle " + manifest.part() + " was released during the fetch"));
        } catch (IOException e) {
            LOGGER.atWarn().addKeyValue("part", manifest.part()).addKeyValue("error", e.toString()).log("fetch failed");
            finish(Status.INTERNAL.withDescription("cannot read " + manifest.part() + ": " + e.getMessage()));
        } catch (ChecksumMismatch e) {
            LOGGER.atError().addKeyValue("part", manifest.part()).log(e.getMessage());
            finish(Status.DATA_LOSS.withDescription(e.getMessage()));
        }
    }

    void cancel() {
        done = true;
        closeChannel();
    }

    private void sendNext() throws IOException, ChecksumMismatch {
        Item item = items.get(index);
        if (channel == null) {
            channel = FileChannel.open(layout.file(manifest.part(), item.type(), item.file().name()), StandardOpenOption.READ);
            offset = 0;
            crc = new CRC32C();
        }
        buffer.clear();
        long remaining = item.file().size() - offset;
        if (remaining < buffer.capacity()) {
            buffer.limit((int) Math.max(0, remaining));
        }
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new ChecksumMismatch(item, "is shorter than its " + item.file().size() + " bytes");
            }
        }
        buffer.flip();
        crc.update(buffer.duplicate());
        long start = offset;
        offset += buffer.remaining();
        boolean last = offset == item.file().size();
        if (last) {
            verify(item);
        }
        call.onNext(FileChunk.newBuilder().setType(item.type()).setName(item.file().name()).setOffset(start)
            .setData(ByteString.copyFrom(buffer)).setLast(last).build());
        metrics.fetchedBytes(offset - start);
        if (last) {
            closeChannel();
            index++;
        }
    }

    private void verify(Item item) throws IOException, ChecksumMismatch {
        if (channel.size() != item.file().size()) {
            throw new ChecksumMismatch(item, "has " + channel.size() + " bytes, the manifest says " + item.file().size());
        }
        if (crc.getValue() != item.file().crc32c()) {
            throw new ChecksumMismatch(item, "has CRC32C " + crc.getValue() + ", the manifest says " + item.file().crc32c());
        }
    }

    private void finish(Status error) {
        done = true;
        closeChannel();
        if (error == null) {
            call.onCompleted();
        } else {
            call.onError(error.asRuntimeException());
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOGGER.atDebug().addKeyValue("error", e.toString()).log("closing a fetched file failed");
            }
            channel = null;
        }
    }

    /** A stored file no longer matches its manifest. */
    private static final class ChecksumMismatch extends Exception {
        private static final long serialVersionUID = 1L;

        ChecksumMismatch(Item item, String what) {
            super("stored file " + item.type() + "/" + item.file().name() + " " + what);
        }
    }
}
