# syntax=docker/dockerfile:1
# One image per service, each a target of this file:
#   docker build --target server -t rank-server .
#   docker build --target client -t rank-client .
# docker-compose.yml builds both.

# Each app is built in a stage of its own, from the poms, common-model and that app's sources only: a change to one
# app rebuilds only its image, and leaves the other image (and the containers running it) as they are.
# The root pom lists every module, so Maven reads every module's pom even to build one app; the sources of the
# modules the images do not contain (rank-bench, system-tests) stay out of the build context (.dockerignore).
FROM eclipse-temurin:25-jdk AS build-base
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY rank-server/pom.xml rank-server/
COPY rank-client/pom.xml rank-client/
COPY rank-bench/pom.xml rank-bench/
COPY system-tests/pom.xml system-tests/
COPY common-model/ common-model/

# The cache mount keeps ~/.m2 (and the wrapper's Maven) between builds; "locked" because two Maven runs must not
# write one local repository at once.
# Spring Boot's layers become image layers: a code change rebuilds only the small "application" layer.
FROM build-base AS server-build
COPY rank-server/src/ rank-server/src/
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -q -Dmaven.test.skip=true -pl rank-server -am package \
 && java -Djarmode=tools -jar rank-server/target/rank-server-*.jar extract --layers --launcher --destination /layers

# The client runs as app.jar beside its libraries, without Boot's launcher, so that its AOT cache can hold its classes.
FROM build-base AS client-build
COPY rank-client/src/ rank-client/src/
RUN --mount=type=cache,target=/root/.m2,sharing=locked \
    ./mvnw -B -q -Dmaven.test.skip=true -pl rank-client -am package \
 && java -Djarmode=tools -jar rank-client/target/rank-client-*.jar extract --layers --application-filename app.jar \
        --destination /layers

# What both services share: a JRE, a non-root user, and a healthcheck that needs no curl (the image has none).
FROM eclipse-temurin:25-jre AS runtime
RUN groupadd --system rank && useradd --system --gid rank --home-dir /app --no-create-home rank
COPY --chmod=755 docker/healthcheck.sh /usr/local/bin/healthcheck
WORKDIR /app
USER rank
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 CMD ["healthcheck", "/actuator/health"]

FROM runtime AS server
COPY --from=server-build /layers/dependencies/ ./
COPY --from=server-build /layers/spring-boot-loader/ ./
COPY --from=server-build /layers/snapshot-dependencies/ ./
COPY --from=server-build /layers/application/ ./
# Exec form: SIGTERM from `docker stop` reaches the JVM, which shuts down gracefully.
# Add flags with JAVA_TOOL_OPTIONS rather than by editing this line.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]

FROM runtime AS client
COPY --from=client-build /layers/dependencies/ ./
COPY --from=client-build /layers/snapshot-dependencies/ ./
COPY --from=client-build /layers/application/ ./
# Many clients run side by side, so each is kept light and quick to register:
# - a 48 MB heap with a 4 MB young generation: the young generation is touched all over, again and again, so its
#   size is resident memory; the old one only as far as it fills. Start-up spends no longer in GC than with 16 MB;
# - thin thread stacks, the C1 compiler only, and the native heap trimmed every 5 s (what the JIT freed goes back);
# - Spring AOT (-Dspring.aot.enabled=true): the bean definitions are code generated at build time, so start-up
#   neither parses nor evaluates the auto-configurations. The price: which beans exist is decided at build time,
#   from application.properties as it is there; settings still bind at start-up (RANK_CLIENT_*, SERVER_PORT,
#   logging), but one that would add or remove beans (say, exposing another actuator endpoint) needs a rebuild;
# - a JDK 25 AOT cache of the classes that start-up loads and links, written by a training run with the same flags:
#   it starts, tries to register with a closed port, and is stopped (SIGTERM) once that attempt has failed, so the
#   cache holds the registration's classes too (no server needed). It records no method profiles
#   (-AOTRecordTraining): only C2 would use them. Should the cache not fit the JVM, the JVM says so and runs without;
# - ArchiveRelocationMode=0 maps the cache at the address it was written for rather than a random one, so the JVM
#   does not rewrite its pointers: most of it stays clean pages that the clients on a host share (among 4 clients,
#   78 MB PSS each instead of 95 MB). The price: the cache's address is not randomised.
# rank-bench's ClientImage replays this training run and these flags: change both together.
USER root
RUN java -Xmx48m -Xmn4m -Xss256k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000 \
        -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -XX:-AOTRecordTraining -Dspring.aot.enabled=true \
        -XX:AOTCacheOutput=app.aot -jar app.jar \
        --server.port=0 --rank.client.server-url=http://127.0.0.1:1 --rank.cluster.token=aot-training \
        > /tmp/training.log 2>&1 & java=$! waited=0; \
    until grep -q "retrying in" /tmp/training.log || ! kill -0 $java 2>/dev/null || [ $((waited=waited+1)) -gt 600 ]; \
        do sleep 0.2; done; \
    kill -TERM $java; wait $java; \
    test -s app.aot || { cat /tmp/training.log; exit 1; }; rm /tmp/training.log
USER rank
ENTRYPOINT ["java", "-Xmx48m", "-Xmn4m", "-Xss256k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", \
            "-XX:TrimNativeHeapInterval=5000", "-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0", \
            "-XX:-AOTRecordTraining", "-Dspring.aot.enabled=true", "-XX:AOTCache=app.aot", "-jar", "app.jar"]
