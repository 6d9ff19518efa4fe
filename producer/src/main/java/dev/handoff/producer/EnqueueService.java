package dev.handoff.producer;

import dev.handoff.protocol.HandoffException;
import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.NodeAddress;
import dev.handoff.protocol.PartKey;
import dev.handoff.protocol.grpc.EnqueueRequest;
import dev.handoff.protocol.grpc.EnqueueResponse;
import dev.handoff.protocol.grpc.EnqueueType;
import dev.handoff.protocol.grpc.LiaisonGrpc;
import dev.handoff.protocol.grpc.ProtoMapping;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code handoff.v1.Liaison.Enqueue}: enqueues a bundle whose type directories lie under the enqueue root
 * (real paths, so a symbolic link cannot lead out of it). Thread-safe: each call is independent.
 */
final class EnqueueService extends LiaisonGrpc.LiaisonImplBase {
    private static final Logger LOGGER = LoggerFactory.getLogger(EnqueueService.class);

    /** What the service hands a validated bundle to: the producer's enqueue. */
    @FunctionalInterface
    interface Target {
        void enqueue(Bundle bundle, Collection<String> nodes) throws HandoffException;
    }

    private final Path root;
    private final Target target;

    EnqueueService(Path root, Target target) {
        this.root = root;
        this.target = target;
    }

    @Override
    public void enqueue(EnqueueRequest request, StreamObserver<EnqueueResponse> response) {
        Bundle bundle;
        List<String> nodes;
        try {
            PartKey key = ProtoMapping.fromProto(request.getPart());
            List<Bundle.Type> types = new ArrayList<>();
            for (EnqueueType t : request.getTypesList()) {
                types.add(new Bundle.Type(t.getType(), inside(t.getDirectory()), ProtoMapping.meta("types.meta_json", t.getMetaJson())));
            }
            bundle = new Bundle(key, types);
            nodes = new ArrayList<>(request.getNodesList());
            nodes.forEach(n -> NodeAddress.require("nodes", n));
        } catch (InvalidFieldException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (SecurityException e) {
            response.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        try {
            target.enqueue(bundle, nodes);
            long bytes = 0;
            for (Bundle.Type t : bundle.types()) {
                bytes += sizeOf(t.directory());
            }
            response.onNext(EnqueueResponse.newBuilder().setBytes(bytes).build());
            response.onCompleted();
        } catch (StoreFullException e) {
            response.onError(Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asRuntimeException());
        } catch (InvalidFieldException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        } catch (HandoffException | IllegalStateException e) {
            LOGGER.atWarn().addKeyValue("part", bundle.part()).addKeyValue("error", e.getMessage()).log("enqueue failed");
            response.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        } catch (IOException e) {
            response.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
        }
    }

    /** The directory's real path, refused unless it is an existing directory under the root. */
    private Path inside(String directory) {
        try {
            Path dir = Path.of(directory).toRealPath();
            if (!dir.startsWith(root.toRealPath()) || !Files.isDirectory(dir)) {
                throw new SecurityException("directory " + directory + " is not a directory under the enqueue root " + root);
            }
            return dir;
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new InvalidFieldException("types.directory", directory, "an existing directory (" + e.getMessage() + ")");
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            long total = 0;
            for (Path f : (Iterable<Path>) files::iterator) {
                total += Files.size(f);
            }
            return total;
        }
    }
}
