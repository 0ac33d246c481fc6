package io.keywarden.testsupport.outscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The official OpenAPI description of the OUTSCALE API, as shipped by PyPI {@code
 * osc-sdk-python} (found by {@code hack/outscale-tools.sh}), with JSON-schema validators for the
 * request and response bodies of its operations.
 *
 * <p>Validation is the OpenAPI 3.0 dialect of networknt's validator, formats asserted (the spec's
 * {@code ExpirationDate} is {@code oneOf [date-time, date]}: without format assertions every string
 * matches both branches and oneOf fails). One deliberate widening: {@code date-time} also accepts
 * the offset without a colon ({@code 2063-04-05T00:00:00.000+0000}). That is how the API writes its
 * dates, in the spec's own examples and on the reference page; {@link
 * #examplesOf(String, String)} lets a test prove the examples validate.
 */
public final class OapiSpec {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Path file;
  private final JsonNode root;
  private final JsonSchemaFactory factory;
  private final SchemaValidatorsConfig config =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
  private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

  private OapiSpec(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
    JsonMetaSchema dialect =
        JsonMetaSchema.builder(OpenApi30.getInstance()).format(new OutscaleDateTime()).build();
    this.factory =
        JsonSchemaFactory.getInstance(
            SpecVersion.VersionFlag.V4,
            b -> b.metaSchema(dialect).defaultMetaSchemaIri(dialect.getIri()));
  }

  public static OapiSpec load(Path file) {
    try {
      return new OapiSpec(file, YAML.readTree(file.toFile()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the OpenAPI spec " + file, e);
    }
  }

  /** {@code info.version}, e.g. {@code 1.42.0}. */
  public String version() {
    return root.path("info").path("version").asText();
  }

  /** Whether the spec has {@code POST /<action>}. */
  public boolean hasOperation(String action) {
    return !operation(action).isMissingNode();
  }

  /** The security schemes the operation accepts ({@code ApiKeyAuthSec}, {@code BasicAuth}, ...). */
  public List<String> securitySchemes(String action) {
    JsonNode security = operation(action).path("security");
    if (security.isMissingNode()) {
      security = root.path("security");
    }
    List<String> names = new ArrayList<>();
    security.forEach(requirement -> requirement.fieldNames().forEachRemaining(names::add));
    return names;
  }

  /** Problems of a request body against the operation's request schema; empty when valid. */
  public List<String> validateRequest(String action, JsonNode body) {
    return validate(requestSchemaRef(action), body);
  }

  /**
   * Problems of a response body: against the operation's schema for the status when the spec
   * gives one, else (errors of operations that list only 200) against {@code ErrorResponse}, the
   * shape of every error the API documents.
   */
  public List<String> validateResponse(String action, int status, JsonNode body) {
    JsonNode declared =
        operation(action).path("responses").path(Integer.toString(status)).path("content")
            .path("application/json").path("schema").path("$ref");
    String ref = declared.isTextual() ? declared.asText() : status == 200 ? null : "#/components/schemas/ErrorResponse";
    if (ref == null) {
      return List.of("the spec declares no 200 response for " + action);
    }
    return validate(ref, body);
  }

  /** Every example request ({@code kind = "request"}) or 200 response body the spec gives. */
  public List<JsonNode> examplesOf(String action, String kind) {
    JsonNode content =
        kind.equals("request")
            ? operation(action).path("requestBody").path("content").path("application/json")
            : operation(action).path("responses").path("200").path("content").path("application/json");
    List<JsonNode> values = new ArrayList<>();
    content.path("examples").forEach(example -> values.add(example.path("value")));
    return values;
  }

  private List<String> validate(String ref, JsonNode body) {
    JsonSchema schema =
        schemas.computeIfAbsent(
            ref, r -> factory.getSchema(SchemaLocation.of(file.toUri() + r), config));
    List<String> problems = new ArrayList<>();
    for (ValidationMessage m : schema.validate(body)) {
      problems.add(m.getMessage());
    }
    return problems;
  }

  private String requestSchemaRef(String action) {
    JsonNode ref =
        operation(action).path("requestBody").path("content").path("application/json").path("schema").path("$ref");
    if (!ref.isTextual()) {
      throw new IllegalArgumentException("the spec has no request schema for " + action);
    }
    return ref.asText();
  }

  private JsonNode operation(String action) {
    return root.path("paths").path("/" + action).path("post");
  }

  /**
   * RFC 3339 date-time, plus the colon-less offset the OUTSCALE API writes ({@code +0000}); see the
   * class comment.
   */
  static final class OutscaleDateTime implements Format {
    private static final Pattern BASIC_OFFSET = Pattern.compile("([+-]\\d{2})(\\d{2})$");

    @Override
    public String getName() {
      return "date-time";
    }

    @Override
    public boolean matches(ExecutionContext context, String value) {
      return parses(value) || parses(BASIC_OFFSET.matcher(value).replaceFirst("$1:$2"));
    }

    private static boolean parses(String value) {
      try {
        OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        return true;
      } catch (DateTimeParseException e) {
        return false;
      }
    }
  }
}
