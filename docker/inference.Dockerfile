# syntax=docker/dockerfile:1
# Inference service, CPU only (the default build: the CPU-only ONNX Runtime jar).
#   docker build -f docker/inference.Dockerfile -t minibert/inference:dev .
#   docker run --rm -p 8080:8080 --read-only --tmpfs /tmp --tmpfs /cache \
#     -e MINIBERT_STORE=s3://minibert/models -e MINIBERT_MODEL=minibert minibert/inference:dev
# Build context: the repository root (see .dockerignore). Application files stay root-owned and read-only.

# Base images are pinned by digest (the multi-platform index of the tag in the comment above each line;
# the tag before '@' is informative only). To update: docker buildx imagetools inspect <tag>, then both.
# maven:3.9.11-eclipse-temurin-17
ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17@sha256:e4a7ace3dc0d645ed97f8d9ad0b0d3f0b14fa8d150138f27f116d7105a639b82
# eclipse-temurin:17-jre-noble
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-noble@sha256:900322f4cc1b9da9d730ae4bb56d8a1dabbaa9cfa32809fc8b542b600370a045

# ---- build: the Maven reactor, only the modules the service needs ----
FROM ${MAVEN_IMAGE} AS build
WORKDIR /build
# the reactor reads every module's pom; only the modules this image needs bring their sources
COPY pom.xml ./
COPY trainer-service/pom.xml trainer-service/
COPY k8s/pom.xml k8s/
COPY e2e/pom.xml e2e/
COPY minibert-cli/pom.xml minibert-cli/
COPY bench/pom.xml bench/
COPY minibert-core/ minibert-core/
COPY inference-service/ inference-service/
# metrics and health on their own port (9000), apart from the API port: a Quarkus build-time switch, on by
# default (the chart's inference.management.enabled); --build-arg MANAGEMENT_INTERFACE=false serves them on 8080
ARG MANAGEMENT_INTERFACE=true
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests -Dquarkus.management.enabled=${MANAGEMENT_INTERFACE} -pl inference-service -am package

# ---- runtime: JRE only, no Maven, no JDK ----
FROM ${RUNTIME_IMAGE}
ARG MANAGEMENT_INTERFACE=true
ARG APP_UID=10001
RUN groupadd --system --gid ${APP_UID} minibert \
 && useradd --system --uid ${APP_UID} --gid ${APP_UID} --home-dir /cache/home --no-create-home --shell /usr/sbin/nologin minibert \
 && mkdir -p /app /cache/home /cache/models \
 && chown -R ${APP_UID}:${APP_UID} /cache
WORKDIR /app
# the Quarkus fast-jar layout: lib/ (dependencies, changes least), then app/, quarkus/ and the runner
COPY --from=build /build/inference-service/target/quarkus-app/lib/ /app/lib/
COPY --from=build /build/inference-service/target/quarkus-app/quarkus-run.jar /app/quarkus-run.jar
COPY --from=build /build/inference-service/target/quarkus-app/app/ /app/app/
COPY --from=build /build/inference-service/target/quarkus-app/quarkus/ /app/quarkus/
COPY --chmod=0755 docker/healthcheck.sh /usr/local/bin/minibert-healthcheck

# Writable paths under a read-only root filesystem: /tmp (ONNX Runtime extracts its native library to
# java.io.tmpdir) and /cache (downloaded models, DJL's tokenizers native library, HOME). Mount both as
# emptyDir / tmpfs when the root filesystem is read-only.
ENV HOME=/cache/home \
    MINIBERT_CACHE_DIR=/cache/models \
    DJL_CACHE_DIR=/cache/djl \
    ENGINE_CACHE_DIR=/cache/djl \
    QUARKUS_HTTP_PORT=8080 \
    QUARKUS_MANAGEMENT_ENABLED=${MANAGEMENT_INTERFACE} \
    QUARKUS_MANAGEMENT_PORT=9000 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=25 -XX:MaxDirectMemorySize=128m -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp -Dai.djl.offline=true"

USER 10001:10001
EXPOSE 8080 9000
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 CMD ["/usr/local/bin/minibert-healthcheck", "/q/health/ready"]
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
