# syntax=docker/dockerfile:1
# Inference service on NVIDIA GPUs: the `gpu` Maven profile (the `onnxruntime_gpu` jar) on the CUDA 12.8
# runtime image with cuDNN 9 (ONNX Runtime 1.29's CUDA execution provider needs CUDA 12 and cuDNN 9).
#   docker build -f docker/inference-cuda.Dockerfile -t minibert/inference-cuda:dev .
#   docker run --rm --gpus all -p 8080:8080 -e MINIBERT_DEVICE=cuda ... minibert/inference-cuda:dev
# The JRE is copied from the Temurin image of the same Ubuntu release (24.04, noble): same glibc.

# Base images are pinned by digest (the multi-platform index of the tag in the comment above each line;
# the tag before '@' is informative only). To update: docker buildx imagetools inspect <tag>, then both.
# maven:3.9.11-eclipse-temurin-17
ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17@sha256:e4a7ace3dc0d645ed97f8d9ad0b0d3f0b14fa8d150138f27f116d7105a639b82
# eclipse-temurin:17-jre-noble
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble@sha256:900322f4cc1b9da9d730ae4bb56d8a1dabbaa9cfa32809fc8b542b600370a045
# nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04
ARG RUNTIME_IMAGE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04@sha256:ac55d124da4882b497f732d8dfd9a702d5447a5f29d08d56da6f64f0a1eb34bc

FROM ${JRE_IMAGE} AS jre

# ---- build: -Pgpu = onnxruntime_gpu ----
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
    mvn -B -ntp -DskipTests -Dquarkus.management.enabled=${MANAGEMENT_INTERFACE} -Pgpu -pl inference-service -am package

# ---- runtime: CUDA 12.8 + cuDNN 9 runtime libraries, a JRE, the fast-jar ----
FROM ${RUNTIME_IMAGE}
ARG MANAGEMENT_INTERFACE=true
ARG APP_UID=10001
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN groupadd --system --gid ${APP_UID} minibert \
 && useradd --system --uid ${APP_UID} --gid ${APP_UID} --home-dir /cache/home --no-create-home --shell /usr/sbin/nologin minibert \
 && mkdir -p /app /cache/home /cache/models \
 && chown -R ${APP_UID}:${APP_UID} /cache
WORKDIR /app
COPY --from=build /build/inference-service/target/quarkus-app/lib/ /app/lib/
COPY --from=build /build/inference-service/target/quarkus-app/quarkus-run.jar /app/quarkus-run.jar
COPY --from=build /build/inference-service/target/quarkus-app/app/ /app/app/
COPY --from=build /build/inference-service/target/quarkus-app/quarkus/ /app/quarkus/
COPY --chmod=0755 docker/healthcheck.sh /usr/local/bin/minibert-healthcheck

# NVIDIA_* variables are read by the NVIDIA container toolkit; the Kubernetes device plugin sets its own.
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    HOME=/cache/home \
    MINIBERT_CACHE_DIR=/cache/models \
    MINIBERT_DEVICE=cuda \
    DJL_CACHE_DIR=/cache/djl \
    ENGINE_CACHE_DIR=/cache/djl \
    QUARKUS_HTTP_PORT=8080 \
    QUARKUS_MANAGEMENT_ENABLED=${MANAGEMENT_INTERFACE} \
    QUARKUS_MANAGEMENT_PORT=9000 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:InitialRAMPercentage=20 -XX:MaxDirectMemorySize=128m -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp -Dai.djl.offline=true"

USER 10001:10001
EXPOSE 8080 9000
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 CMD ["/usr/local/bin/minibert-healthcheck", "/q/health/ready"]
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
