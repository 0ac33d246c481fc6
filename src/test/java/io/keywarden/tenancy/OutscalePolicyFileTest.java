package io.keywarden.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/policies/outscale-eim-keywarden.json allows exactly the calls the Outscale backends make,
 * read from their sources: OAPI's through keywarden's client, EIM's through the IAM code path. No
 * test peer evaluates EIM policies (the OAPI stand-in does not model them, and moto evaluates AWS's
 * policy language), so this keeps the file complete, not proven at Outscale.
 */
class OutscalePolicyFileTest {
  static final Path POLICY = Path.of("docs", "policies", "outscale-eim-keywarden.json");
  static final Path OAPI = Path.of("src", "main", "java", "io", "keywarden", "backend", "outscale", "OutscaleOapiBackend.java");
  static final Path IAM = Path.of("src", "main", "java", "io", "keywarden", "backend", "aws", "AwsIamBackend.java");

  @Test
  void theOapiStatementAllowsTheOapiCallsKeywardenMakes() throws IOException {
    assertThat(actions("KeywardenOnOapiManagesAccessKeys", "api:"))
        .isEqualTo(found(Pattern.compile("\"([A-Z][A-Za-z]*AccessKeys?)\""), OAPI))
        .contains("CreateAccessKey", "ReadAccessKeys", "UpdateAccessKey", "DeleteAccessKey");
  }

  @Test
  void theEimStatementAllowsTheIamCallsKeywardenMakes() throws IOException {
    assertThat(actions("KeywardenOnEimManagesAccessKeys", "iam:"))
        .isEqualTo(found(Pattern.compile("\"iam:([A-Za-z]+)"), IAM))
        .contains("CreateAccessKey", "ListAccessKeys", "UpdateAccessKey", "DeleteAccessKey", "GetUser");
  }

  @Test
  void everyStatementNamesItsResourceAsEimRequires() throws IOException {
    for (JsonNode statement : new ObjectMapper().readTree(Files.readString(POLICY)).get("Statement")) {
      assertThat(statement.get("Resource")).as("EIM statements need a Resource; EIM scopes none but *")
          .isNotNull().hasSize(1);
      assertThat(statement.get("Resource").get(0).asText()).isEqualTo("*");
    }
  }

  private static Set<String> actions(String sid, String service) throws IOException {
    Set<String> actions = new TreeSet<>();
    for (JsonNode statement : new ObjectMapper().readTree(Files.readString(POLICY)).get("Statement")) {
      if (sid.equals(statement.path("Sid").asText())) {
        for (JsonNode action : statement.get("Action")) {
          assertThat(action.asText()).startsWith(service);
          actions.add(action.asText().substring(service.length()));
        }
      }
    }
    return actions;
  }

  private static Set<String> found(Pattern pattern, Path source) throws IOException {
    Set<String> found = new TreeSet<>();
    Matcher m = pattern.matcher(Files.readString(source));
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
