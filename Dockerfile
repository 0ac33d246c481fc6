# The operator image. Build the jar first: ./mvnw -DskipTests package
FROM eclipse-temurin:17-jre
COPY target/keywarden-*-operator.jar /opt/keywarden/keywarden.jar
# the distroless "nonroot" uid; the chart runs the pod as 65532 too
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/opt/keywarden/keywarden.jar"]
