# syntax=docker/dockerfile:1
# One image per service, each a target of this file:
#   docker build --target server -t rank-server .
#   docker build --target client -t rank-client .
# docker-compose.yml builds both.

# Build both jars with the Maven wrapper; the cache mount keeps ~/.m2 (and the wrapper's Maven) between builds.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /workspace
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests -pl rank-server,rank-client -am package
# Spring Boot's layers become image layers: a code change rebuilds only the small "application" layer.
# The client runs as app.jar beside its libraries, without Boot's launcher, so that its AOT cache can hold its classes.
RUN java -Djarmode=tools -jar rank-server/target/rank-server-*.jar extract --layers --launcher \
        --destination /layers/rank-server \
 && java -Djarmode=tools -jar rank-client/target/rank-client-*.jar extract --layers --application-filename app.jar \
        --destination /layers/rank-client

# What both services share: a JRE, a non-root user, and a healthcheck that needs no curl (the image has none).
FROM eclipse-temurin:25-jre AS runtime
RUN groupadd --system rank && useradd --system --gid rank --home-dir /app --no-create-home rank
COPY --chmod=755 docker/healthcheck.sh /usr/local/bin/healthcheck
WORKDIR /app
USER rank
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=3s --start-period=60s --retries=3 CMD ["healthcheck", "/actuator/health"]

FROM runtime AS server
COPY --from=build /layers/rank-server/dependencies/ ./
COPY --from=build /layers/rank-server/spring-boot-loader/ ./
COPY --from=build /layers/rank-server/snapshot-dependencies/ ./
COPY --from=build /layers/rank-server/application/ ./
# Exec form: SIGTERM from `docker stop` reaches the JVM, which shuts down gracefully.
# Add flags with JAVA_TOOL_OPTIONS rather than by editing this line.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]

FROM runtime AS client
COPY --from=build /layers/rank-client/dependencies/ ./
COPY --from=build /layers/rank-client/snapshot-dependencies/ ./
COPY --from=build /layers/rank-client/application/ ./
# A JDK 25 AOT cache of the classes that start-up loads and links, written by a training run with the same flags
# that stops once the application context is ready (it needs no server): the client registers in about half the time.
# Should the cache ever not fit the JVM, the JVM says so and starts without it.
USER root
RUN java -Xmx48m -Xss256k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:AOTCacheOutput=app.aot \
        -Dspring.context.exit=onRefresh -jar app.jar
USER rank
# Many clients run side by side: a small heap, thin thread stacks and the C1 compiler only keep each one light.
ENTRYPOINT ["java", "-Xmx48m", "-Xss256k", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:AOTCache=app.aot", \
            "-jar", "app.jar"]
