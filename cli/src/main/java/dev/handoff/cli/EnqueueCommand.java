package dev.handoff.cli;

import dev.handoff.producer.BanyanLayout;
import dev.handoff.producer.Bundle;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.json.JsonCodec;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.PartIds;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.common.GrpcChannels;
import dev.handoff.protocol.grpc.EnqueueRequest;
import dev.handoff.protocol.grpc.EnqueueResponse;
import dev.handoff.protocol.grpc.EnqueueType;
import dev.handoff.protocol.grpc.LiaisonGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code handoff enqueue}: hands a part off through a running producer ({@code handoff.v1.Liaison.Enqueue}).
 * The producer must run on this host with {@code --enqueue-root} above the part directory: it hard-links
 * the files from where they are.
 */
@Command(name = "enqueue", mixinStandardHelpOptions = true,
    description = "Enqueue part directories (one subdirectory per part type: core, sidx_*, ...) for the nodes that "
        + "missed them, one line per part, through the running producer on this host (started with --enqueue-root above the part).")
final class EnqueueCommand implements Callable<Integer> {
    @Option(names = "--part-dir", paramLabel = "DIR",
        description = "A part: one subdirectory per part type, each a flat directory of files. A type directory's "
            + "metadata.json, if any, becomes the type's meta. With --layout banyandb: the core part "
            + "<root>/<group>/shard-<N>/<partId>; its sidx parts <root>/<group>/shard-<N>/sidx/<rule>/<partId> join the bundle. "
            + "Repeat it to enqueue many parts in one call.")
    List<Path> partDirs = new ArrayList<>();
    @Option(names = "--from-file", paramLabel = "FILE|-",
        description = "Read part directories from FILE (- for standard input), one per line; blank lines and lines "
            + "starting with # are skipped. Adds to --part-dir.")
    String fromFile;
    @Option(names = "--layout", defaultValue = "handoff", paramLabel = "handoff|banyandb",
        description = "How --part-dir is laid out: handoff (a subdirectory per type) or banyandb (a BanyanDB liaison's "
            + "write queue; group and shard from the path unless given) (default: ${DEFAULT-VALUE}).")
    Layout layout;
    @Option(names = "--liaison", required = true, paramLabel = "NAME", description = "The liaison the part belongs to.")
    String liaison;
    @Option(names = "--group", paramLabel = "GROUP", description = "The part's group (required with --layout handoff).")
    String group;
    @Option(names = "--shard", paramLabel = "N", description = "The part's shard (required with --layout handoff).")
    Integer shard;
    @Option(names = "--part-id", paramLabel = "HEX16",
        description = "The part id, 16 lowercase hex digits (default: the part directory's name).")
    String partId;
    @Option(names = "--nodes", required = true, split = ",", paramLabel = "HOST:PORT",
        description = "The data nodes that missed the part.")
    List<String> nodes;
    @Option(names = "--producer", paramLabel = "HOST:PORT",
        description = "The running producer's gRPC address (default: ${DEFAULT-VALUE}).")
    String producer;
    @Option(names = "--timeout", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
        description = "How long to wait for the producer's answer (default: ${DEFAULT-VALUE}).")
    java.time.Duration timeout;
    @Mixin
    NodeTlsOptions tls;
    @Option(names = {"-v", "--verbose"}, description = "Print stack traces of failures and show the gRPC client's log lines.")
    boolean verbose;
    @Spec
    CommandSpec spec;
    /** Where {@code --from-file -} reads (tests replace it). */
    java.io.InputStream stdin = System.in;

    /** Directory layouts of a part to enqueue. */
    enum Layout {
        handoff, banyandb
    }

    @Override
    public Integer call() throws IOException {
        List<Path> parts = parts();
        if (parts.size() > 1 && partId != null) {
            throw new UsageException("--part-id: only with a single part (" + parts.size() + " given)");
        }
        ManagedChannel channel = GrpcChannels.open(NodeAddress.require("--producer", producer), tls.config());
        try {
            if (parts.size() == 1) {
                enqueue(channel, parts.get(0));
                return 0;
            }
            return enqueueAll(channel, parts);
        } finally {
            GrpcChannels.close(channel);
        }
    }

    /**
     * Enqueues each part in turn, one line each; a part that fails is named on stderr and the rest still go.
     * Exit 0 when all were enqueued, 1 when any failed at run time, else 2 (only bad input failed).
     */
    private int enqueueAll(ManagedChannel channel, List<Path> parts) {
        List<Path> failed = new ArrayList<>();
        boolean runtimeFailure = false;
        for (Path dir : parts) {
            try {
                enqueue(channel, dir);
            } catch (IOException | RuntimeException e) {
                failed.add(dir);
                runtimeFailure |= !ErrorHandler.isUsage(e);
                spec.commandLine().getErr().println("enqueue: FAILED " + dir + ": " + e.getMessage());
            }
        }
        if (failed.isEmpty()) {
            spec.commandLine().getOut().println("enqueued " + parts.size() + " parts");
            return 0;
        }
        spec.commandLine().getErr().println("enqueue: " + failed.size() + " of " + parts.size() + " parts failed: "
            + failed.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(" ")));
        return runtimeFailure ? 1 : 2;
    }

    /** The parts of {@code --part-dir} and then {@code --from-file}, in order; at least one. */
    private List<Path> parts() throws IOException {
        List<Path> parts = new ArrayList<>(partDirs);
        if (fromFile != null) {
            try (java.io.BufferedReader in = fromFile.equals("-")
                ? new java.io.BufferedReader(new java.io.InputStreamReader(stdin, java.nio.charset.StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(fromFile))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String trimmed = line.strip();
                    if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                        parts.add(Path.of(trimmed));
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UsageException("--from-file " + fromFile + ": no such file");
            }
        }
        if (parts.isEmpty()) {
            throw new UsageException("a part is required: --part-dir DIR (repeatable) or --from-file FILE|-");
        }
        return parts;
    }

    private void enqueue(ManagedChannel channel, Path partDir) throws IOException {
        EnqueueRequest request = layout == Layout.banyandb ? banyanRequest(partDir) : request(partDir);
        try {
            EnqueueResponse answer = LiaisonGrpc.newBlockingStub(channel)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS).enqueue(request);
            spec.commandLine().getOut().println("enqueued " + ProtoMapping.fromProto(request.getPart()) + " ("
                + answer.getBytes() + " bytes) for " + String.join(",", nodes));
            spec.commandLine().getOut().flush();
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            String why = e.getStatus().getDescription() == null ? code.name() : e.getStatus().getDescription();
            if (code == Status.Code.INVALID_ARGUMENT || code == Status.Code.PERMISSION_DENIED) {
                throw new UsageException(why);
            }
            if (code == Status.Code.UNIMPLEMENTED) {
                throw new IllegalStateException("the producer at " + producer + " does not accept enqueues: start it with --enqueue-root");
            }
            throw new IllegalStateException("enqueue through " + producer + " failed: " + code + ": " + why);
        }
    }

    private EnqueueRequest banyanRequest(Path partDir) throws IOException {
        Bundle bundle;
        try {
            nodes.forEach(n -> NodeAddress.require("--nodes", n));
            if (partId != null) {
                throw new UsageException("--part-id: not with --layout banyandb (the part id is the directory's name)");
            }
            bundle = BanyanLayout.bundle(liaison, partDir, group, shard);
        } catch (InvalidFieldException e) {
            throw new UsageException("--layout banyandb: " + e.getMessage());
        }
        EnqueueRequest.Builder b = EnqueueRequest.newBuilder().setPart(ProtoMapping.toProto(bundle.part())).addAllNodes(nodes);
        for (Bundle.Type t : bundle.types()) {
            b.addTypes(EnqueueType.newBuilder().setType(t.type()).setDirectory(t.directory().toString())
                .setMetaJson(JsonCodec.mapper().writeValueAsString(t.meta())));
        }
        return b.build();
    }

    private EnqueueRequest request(Path partDir) throws IOException {
        if (group == null || shard == null) {
            throw new UsageException("--group and --shard are required with --layout handoff");
        }
        if (!Files.isDirectory(partDir)) {
            throw new UsageException("--part-dir " + partDir + ": not a directory");
        }
        String hex = partId != null ? partId : partDir.toAbsolutePath().normalize().getFileName().toString();
        PartKey key;
        try {
            key = new PartKey(liaison, group, shard, PartIds.parseHex(partId != null ? "--part-id" : "--part-id (from --part-dir)", hex));
            nodes.forEach(n -> NodeAddress.require("--nodes", n));
        } catch (InvalidFieldException e) {
            throw new UsageException(e.getMessage());
        }
        EnqueueRequest.Builder b = EnqueueRequest.newBuilder().setPart(ProtoMapping.toProto(key)).addAllNodes(nodes);
        List<Path> typeDirs = new ArrayList<>();
        try (Stream<Path> children = Files.list(partDir)) {
            children.filter(Files::isDirectory).sorted().forEach(typeDirs::add);
        }
        if (typeDirs.isEmpty()) {
            throw new UsageException("--part-dir " + partDir + ": no part type directories (core/, sidx_*/, ...) in it");
        }
        // core first: receivers that apply types in order get the core part before its secondary indexes
        typeDirs.sort((a, c) -> Boolean.compare(!a.getFileName().toString().equals("core"), !c.getFileName().toString().equals("core")));
        for (Path dir : typeDirs) {
            Path meta = dir.resolve("metadata.json");
            b.addTypes(EnqueueType.newBuilder().setType(dir.getFileName().toString())
                .setDirectory(dir.toAbsolutePath().normalize().toString())
                .setMetaJson(Files.isRegularFile(meta) ? Files.readString(meta) : ""));
        }
        return b.build();
    }
}
