# syntax=docker/dockerfile:1
# Trainer (prepare / train / evaluate / sweep / export), CPU: DJL's PyTorch engine with the CPU native jar
# (pytorch-native-cpu, in target/lib). DJL extracts libtorch from that jar into DJL_CACHE_DIR on first use.
#   docker build -f docker/trainer.Dockerfile -t minibert/trainer:dev .
#   docker run --rm --read-only --tmpfs /tmp --tmpfs /cache -v "$PWD/work:/work" minibert/trainer:dev \
#     prepare --input /opt/minibert/samples/kowiki-sample.xml --out /work/data
# Build context: the repository root (see .dockerignore). Application files stay root-owned and read-only.

# Base images are pinned by digest (the multi-platform index of the tag in the comment above each line;
# the tag before '@' is informative only). To update: docker buildx imagetools inspect <tag>, then both.
# maven:3.9.11-eclipse-temurin-17
ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17@sha256:e4a7ace3dc0d645ed97f8d9ad0b0d3f0b14fa8d150138f27f116d7105a639b82
# eclipse-temurin:17-jre-noble
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-noble@sha256:900322f4cc1b9da9d730ae4bb56d8a1dabbaa9cfa32809fc8b542b600370a045

FROM ${MAVEN_IMAGE} AS build
WORKDIR /build
# the reactor reads every module's pom; only the modules this image needs bring their sources
COPY pom.xml ./
COPY inference-service/pom.xml inference-service/
COPY k8s/pom.xml k8s/
COPY e2e/pom.xml e2e/
COPY minibert-cli/pom.xml minibert-cli/
COPY bench/pom.xml bench/
COPY minibert-core/ minibert-core/
COPY trainer-service/ trainer-service/
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests -pl trainer-service -am package

FROM ${RUNTIME_IMAGE}
ARG APP_UID=10001
RUN groupadd --system --gid ${APP_UID} minibert \
 && useradd --system --uid ${APP_UID} --gid ${APP_UID} --home-dir /cache/home --no-create-home --shell /usr/sbin/nologin minibert \
 && mkdir -p /app /cache/home /work \
 && chown -R ${APP_UID}:${APP_UID} /cache /work
WORKDIR /app
# the thin jar's manifest Class-Path points at lib/: keep the two side by side
COPY --from=build /build/trainer-service/target/lib/ /app/lib/
COPY --from=build /build/trainer-service/target/trainer-service.jar /app/trainer-service.jar
COPY samples/ /opt/minibert/samples/

# Writable paths under a read-only root filesystem: /tmp, /cache (DJL's libtorch and tokenizers natives,
# HOME) and /work (data sets, runs with checkpoints: a volume, so that a restarted container resumes).
# The trainer's heap stays small: the tensors live in native memory, outside the Java heap.
ENV HOME=/cache/home \
    DJL_CACHE_DIR=/cache/djl \
    ENGINE_CACHE_DIR=/cache/djl \
    DJL_OFFLINE=true \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"

USER 10001:10001
WORKDIR /work
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-jar", "/app/trainer-service.jar"]
CMD ["--help"]
