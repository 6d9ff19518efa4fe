package dev.handoff.banyandb;

import dev.handoff.banyandb.grpc.cluster.FileInfo;
import dev.handoff.banyandb.grpc.cluster.PartInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs the files of a bundle's parts into chunks of at most {@code chunkSize} bytes the way BanyanDB's sender
 * does: files flattened in part order, a file continuing into the next chunk when it does not fit, several
 * files and parts in one chunk, one {@code PartInfo} per contiguous run of one part's files with
 * {@code FileInfo.offset} relative to the chunk. Holds one chunk buffer. Confined to one thread.
 */
final class ChunkPacker {

    /** Receives each full (or last) chunk; the buffer is reused after it returns. */
    @FunctionalInterface
    interface ChunkSink {
        void send(ByteBuffer data, List<PartInfo> parts) throws BanyanSyncException, InterruptedException;
    }

    private final ByteBuffer buffer;
    private final List<PartInfo> templates;
    private final ChunkSink sink;
    private final List<PartInfo.Builder> runs = new ArrayList<>();
    private int runPart = -1;
    private int lastPart = -1;

    /** @param templates every part's PartInfo without files, in the order the parts are written */
    ChunkPacker(int chunkSize, List<PartInfo> templates, ChunkSink sink) {
        this.buffer = ByteBuffer.allocate(chunkSize);
        this.templates = List.copyOf(templates);
        this.sink = sink;
    }

    /**
     * Appends a fragment of file {@code wireName} of part {@code part} (an index into the templates). Parts must
     * come in order and each part's files contiguously: a part once left is never revisited.
     */
    void write(int part, String wireName, ByteBuffer data) throws BanyanSyncException, InterruptedException {
        if (part < lastPart) {
            throw new IllegalStateException("part " + templates.get(part).getPartType() + " revisited after "
                + templates.get(lastPart).getPartType());
        }
        lastPart = part;
        while (data.hasRemaining()) {
            int n = Math.min(buffer.remaining(), data.remaining());
            ByteBuffer slice = data.slice();
            slice.limit(n);
            append(part, wireName, buffer.position(), n);
            buffer.put(slice);
            data.position(data.position() + n);
            if (!buffer.hasRemaining()) {
                flush();
            }
        }
    }

    /** Sends what is buffered (a last, shorter chunk); nothing when the buffer is empty. */
    void finish() throws BanyanSyncException, InterruptedException {
        flush();
    }

    private void append(int part, String wireName, int offset, int size) {
        if (runPart != part || runs.isEmpty()) {
            runs.add(templates.get(part).toBuilder());
            runPart = part;
        }
        PartInfo.Builder run = runs.get(runs.size() - 1);
        int last = run.getFilesCount() - 1;
        if (last >= 0 && run.getFiles(last).getName().equals(wireName)
            && run.getFiles(last).getOffset() + run.getFiles(last).getSize() == offset) {
            FileInfo f = run.getFiles(last);
            run.setFiles(last, f.toBuilder().setSize(f.getSize() + size));
        } else {
            run.addFiles(FileInfo.newBuilder().setName(wireName).setOffset(offset).setSize(size));
        }
    }

    private void flush() throws BanyanSyncException, InterruptedException {
        if (buffer.position() == 0) {
            return;
        }
        List<PartInfo> parts = new ArrayList<>(runs.size());
        runs.forEach(r -> parts.add(r.build()));
        buffer.flip();
        try {
            sink.send(buffer, parts);
        } finally {
            buffer.clear();
            runs.clear();
            runPart = -1;
        }
    }
}
