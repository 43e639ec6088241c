# syntax=docker/dockerfile:1
# Trainer on NVIDIA GPUs. DJL does not publish CUDA builds of PyTorch 2.7.1 on Maven Central, but the
# pytorch-jni 2.7.1-0.36.0 jar (in target/lib) carries jnilib/linux-x86_64/cu128/libdjl_torch.so. So the
# base image brings libtorch: the official PyTorch 2.7.1 image for CUDA 12.8 + cuDNN 9, and DJL is pointed at
# its torch/lib with PYTORCH_LIBRARY_PATH, PYTORCH_VERSION=2.7.1 and PYTORCH_FLAVOR=cu128, offline.
#   docker build -f docker/trainer-cuda.Dockerfile -t minibert/trainer-cuda:dev .
#   docker run --rm --gpus all -v "$PWD/work:/work" minibert/trainer-cuda:dev train --data /work/data ...
# Verified here: the cu128 JNI library is in the pytorch-jni jar. Not verified here (no Docker, no GPU):
# the base image's torch/lib path (PYTORCH_LIBRARY_PATH, a build argument) and a real GPU run.

# Base images are pinned by digest (the multi-platform index of the tag in the comment above each line;
# the tag before '@' is informative only). To update: docker buildx imagetools inspect <tag>, then both.
# maven:3.9.11-eclipse-temurin-17
ARG MAVEN_IMAGE=maven:3.9.11-eclipse-temurin-17@sha256:e4a7ace3dc0d645ed97f8d9ad0b0d3f0b14fa8d150138f27f116d7105a639b82
# eclipse-temurin:17-jre-jammy
ARG JRE_IMAGE=eclipse-temurin:17-jre-jammy@sha256:475d8e96b4b2bfe08999e5e854755c773af1581acdf959a4545d88f0696a2339
# pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime
ARG RUNTIME_IMAGE=pytorch/pytorch:2.7.1-cuda12.8-cudnn9-runtime@sha256:c16f4c749e2d9e96878875cdf6cc45cddda1d1a36fddd371dd6f2360f1b6e2a2

FROM ${JRE_IMAGE} AS jre

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
    mvn -B -ntp -DskipTests -pl trainer-service -am package \
 && rm -f trainer-service/target/lib/pytorch-native-cpu-*.jar
# (the CPU libtorch jar is not needed: libtorch comes from the base image; a Class-Path entry
#  that names a missing jar is ignored by the JVM)

FROM ${RUNTIME_IMAGE}
ARG APP_UID=10001
ARG PYTORCH_LIBRARY_PATH=/opt/conda/lib/python3.11/site-packages/torch/lib
ENV JAVA_HOME=/opt/java/openjdk
ENV PATH="${JAVA_HOME}/bin:${PATH}"
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
RUN groupadd --system --gid ${APP_UID} minibert \
 && useradd --system --uid ${APP_UID} --gid ${APP_UID} --home-dir /cache/home --no-create-home --shell /usr/sbin/nologin minibert \
 && mkdir -p /app /cache/home /work \
 && chown -R ${APP_UID}:${APP_UID} /cache /work \
 && test -f "${PYTORCH_LIBRARY_PATH}/libtorch.so"
WORKDIR /app
COPY --from=build /build/trainer-service/target/lib/ /app/lib/
COPY --from=build /build/trainer-service/target/trainer-service.jar /app/trainer-service.jar
COPY samples/ /opt/minibert/samples/

ENV PYTORCH_LIBRARY_PATH=${PYTORCH_LIBRARY_PATH} \
    PYTORCH_VERSION=2.7.1 \
    PYTORCH_FLAVOR=cu128 \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    HOME=/cache/home \
    DJL_CACHE_DIR=/cache/djl \
    ENGINE_CACHE_DIR=/cache/djl \
    DJL_OFFLINE=true \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=40 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"

USER 10001:10001
WORKDIR /work
ENTRYPOINT ["java", "-Dai.djl.offline=true", "-jar", "/app/trainer-service.jar"]
CMD ["--help"]
