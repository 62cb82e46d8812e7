# syntax=docker/dockerfile:1
# One image per process, from the repository root:
#   docker build --build-arg MODULE=api         --build-arg JAR=flagsync-api         --build-arg HEALTH_PORT=8080 -t flagsync-api .
#   docker build --build-arg MODULE=sync-worker --build-arg JAR=flagsync-sync-worker --build-arg HEALTH_PORT=9091 -t flagsync-sync-worker .
ARG MODULE=api

FROM maven:3.9-eclipse-temurin-21 AS build
ARG MODULE
WORKDIR /src
COPY pom.xml .
COPY shared shared
COPY infra/local-stack infra/local-stack
COPY api api
COPY sync-worker sync-worker
RUN mvn -B -ntp -q -DskipTests -pl ${MODULE} -am package

FROM eclipse-temurin:21-jre
ARG MODULE
ARG JAR=flagsync-api
ARG HEALTH_PORT=8080
ENV HEALTH_PORT=${HEALTH_PORT}
RUN useradd --system --uid 10001 flagsync
COPY --from=build /src/${MODULE}/target/${JAR}.jar /app/app.jar
# The heap and GC settings flagsync ships with (docs/benchmarks.md, "Footprint"), the same file
# bin/run-local and the benchmarks use.
COPY ${MODULE}/jvm.options /app/jvm.options
USER flagsync
EXPOSE ${HEALTH_PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/${HEALTH_PORT} && printf "GET /health/ready HTTP/1.0\r\n\r\n" >&3 && head -n 1 <&3 | grep -q " 200 "'
ENTRYPOINT ["java", "@/app/jvm.options", "-jar", "/app/app.jar"]
