# syntax=docker/dockerfile:1
#
# The handoff image: one image for every verb (producer, topology, replayer, datanode, init, status, ...).
#
#   docker build -t handoff .
#   docker run --rm handoff --help
#   docker run --rm -e HANDOFF_BOOTSTRAP_SERVERS=kafka:9092 handoff status
#
# docs/DEPLOYMENT.md describes ports, volumes, environment variables and the compose setup.

# ---- build stage: the shaded CLI jar, built with the project's own Maven wrapper -----------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src

# Wrapper and poms first: this layer and the dependency download below stay cached until a pom changes.
# testkit is here only because cli's tests compile against it (-DskipTests still compiles them); the shaded
# jar holds none of it: cli's ShadedJarIT fails the build if Testcontainers or test kit classes get in.
COPY mvnw ./
COPY .mvn/ .mvn/
COPY pom.xml ./
COPY protocol/pom.xml protocol/
COPY embedded/pom.xml embedded/
COPY testkit/pom.xml testkit/
COPY producer/pom.xml producer/
COPY topology/pom.xml topology/
COPY replayer/pom.xml replayer/
COPY datanode/pom.xml datanode/
COPY cli/pom.xml cli/
RUN chmod +x mvnw

# Then the sources. The Maven repository is a BuildKit cache mount, so a source change re-downloads nothing.
COPY protocol/src/ protocol/src/
COPY embedded/src/ embedded/src/
COPY testkit/src/ testkit/src/
COPY producer/src/ producer/src/
COPY topology/src/ topology/src/
COPY replayer/src/ replayer/src/
COPY datanode/src/ datanode/src/
COPY cli/src/ cli/src/
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -DskipTests -Dmaven.javadoc.skip=true package -pl cli -am \
    && cp cli/target/handoff-cli-*-all.jar /src/handoff.jar

# ---- runtime stage: a JRE, a non-root user and the one jar ------------------------------------------
FROM eclipse-temurin:17-jre

LABEL org.opencontainers.image.title="handoff" \
      org.opencontainers.image.description="Kafka-backed durable handoff broker for sharded databases" \
      org.opencontainers.image.licenses="Apache-2.0"

# uid/gid 10001: not root, and above the range distributions hand out to their own users.
# /data belongs to that user so a named volume mounted there starts out writable (Docker copies the
# mount point's ownership into a new, empty named volume).
RUN groupadd --system --gid 10001 handoff \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin handoff \
    && mkdir -p /app /data \
    && chown 10001:10001 /data

WORKDIR /app
COPY --from=build --chown=0:0 /src/handoff.jar /app/handoff.jar

USER 10001:10001

# 17913: producer PartStore gRPC; 9420: datanode PartSync gRPC;
# 9400: --metrics-port by convention (/metrics, /healthz, /readyz).
EXPOSE 17913 9420 9400

# No HEALTHCHECK: the JRE image has no curl or wget. Start a role with --metrics-port 9400 and probe
# http://<container>:9400/healthz (alive) and /readyz (serving) from the orchestrator instead.
ENTRYPOINT ["java", "-jar", "/app/handoff.jar"]
CMD ["--help"]
