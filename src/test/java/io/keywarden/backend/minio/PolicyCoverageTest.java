package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyCoverageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** MinIO's canned readonly and readwrite, as accountinfo answers them. */
  private static final String READONLY = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
      + "'Action':['s3:GetBucketLocation','s3:GetObject'],'Resource':['arn:aws:s3:::*']}]}";
  private static final String READWRITE = "{'Version':'2012-10-17','Statement':[{'Effect':'Allow',"
      + "'Action':['s3:*'],'Resource':['arn:aws:s3:::*']}]}";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // case | key policy (statements) | user policy | beyond, ';'-separated
      "the same policy | {'Effect':'Allow','Action':['s3:GetObject'],'Resource':['arn:aws:s3:::*']} | READONLY | ''",
      "a narrower resource | {'Effect':'Allow','Action':'s3:GetObject','Resource':'arn:aws:s3:::data/*'} | READONLY | ''",
      "a wider action | {'Effect':'Allow','Action':['s3:GetObject','s3:CreateBucket'],'Resource':['arn:aws:s3:::*']} | READONLY"
          + " | s3:CreateBucket on arn:aws:s3:::*",
      "a wildcard the user has piecewise | {'Effect':'Allow','Action':['s3:Get*'],'Resource':['arn:aws:s3:::*']} | READONLY"
          + " | s3:Get* on arn:aws:s3:::*",
      "everything under readwrite | {'Effect':'Allow','Action':['s3:*'],'Resource':['arn:aws:s3:::*']} | READWRITE | ''",
      "a narrower wildcard under readwrite | {'Effect':'Allow','Action':['s3:Put*'],'Resource':['arn:aws:s3:::a?c/*']} | READWRITE | ''",
      "admin actions beyond s3 | {'Effect':'Allow','Action':['admin:ServerInfo']} | READWRITE | admin:ServerInfo",
      "a wider resource | {'Effect':'Allow','Action':['s3:GetObject'],'Resource':['arn:aws:s3:::*']}"
          + " | {'Statement':[{'Effect':'Allow','Action':['s3:*'],'Resource':['arn:aws:s3:::data/*']}]}"
          + " | s3:GetObject on arn:aws:s3:::*",
      "a ? inner pattern is not an outer literal | {'Effect':'Allow','Action':['s3:GetObject'],'Resource':['arn:aws:s3:::d?ta/*']}"
          + " | {'Statement':[{'Effect':'Allow','Action':['s3:*'],'Resource':['arn:aws:s3:::data/*']}]}"
          + " | s3:GetObject on arn:aws:s3:::d?ta/*",
      "the user's name in its resources | {'Effect':'Allow','Action':['s3:GetObject'],'Resource':['arn:aws:s3:::app-1/*']}"
          + " | {'Statement':[{'Effect':'Allow','Action':['s3:*'],'Resource':['arn:aws:s3:::${aws:username}/*']}]} | ''",
      "an allow under a condition does not count | {'Effect':'Allow','Action':['s3:GetObject'],'Resource':['arn:aws:s3:::*']}"
          + " | {'Statement':[{'Effect':'Allow','Action':['s3:*'],'Resource':['arn:aws:s3:::*'],"
          + "'Condition':{'IpAddress':{'aws:SourceIp':'198.18.0.0/15'}}}]} | s3:GetObject on arn:aws:s3:::*",
      "a user deny that touches the action | {'Effect':'Allow','Action':['s3:*'],'Resource':['arn:aws:s3:::data/*']}"
          + " | {'Statement':[{'Effect':'Allow','Action':['s3:*'],'Resource':['arn:aws:s3:::*']},"
          + "{'Effect':'Deny','Action':['s3:DeleteObject'],'Resource':['arn:aws:s3:::*']}]} | s3:* on arn:aws:s3:::data/*",
      "a user deny elsewhere | {'Effect':'Allow','Action':['s3:GetObject'],'Resource':['arn:aws:s3:::data/*']}"
          + " | {'Statement':[{'Effect':'Allow','Action':['s3:*'],'Resource':['arn:aws:s3:::*']},"
          + "{'Effect':'Deny','Action':['s3:GetObject'],'Resource':['arn:aws:s3:::secret/*']}]} | ''",
      "key denies only narrow | {'Effect':'Deny','Action':['s3:*'],'Resource':['arn:aws:s3:::*']} | READONLY | ''",
      "NotAction is named whole | {'Sid':'most','Effect':'Allow','NotAction':['s3:DeleteObject'],'Resource':['arn:aws:s3:::*']}"
          + " | READWRITE | statement most (NotAction/NotResource, not compared)",
      "admin statements as MinIO writes them | {'Effect':'Allow','Action':['admin:ServerInfo']}"
          + " | {'Statement':[{'Effect':'Allow','Action':['admin:*'],'Resource':[]}]} | ''",
  })
  void namesWhatTheKeyPolicyAllowsBeyondTheUser(String name, String keyStatements, String user, String beyond)
      throws IOException {
    JsonNode key = json("{'Version':'2012-10-17','Statement':[" + keyStatements + "]}");
    JsonNode userPolicy = json(user.equals("READONLY") ? READONLY : user.equals("READWRITE") ? READWRITE : user);
    List<String> expected = beyond.isEmpty() ? List.of() : List.of(beyond.split(";"));
    assertThat(PolicyCoverage.beyond(key, userPolicy, "app-1")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
      "s3:*, s3:GetObject, true",
      "s3:*, s3:Get*, true",
      "s3:Get*, s3:*, false",
      "s3:Get*, s3:Get?bject, true",
      "s3:GetObject, s3:Get?bject, false",
      "s3:Get?bject, s3:GetObject, true",
      "*, admin:*, true",
      "a*b, a*, false",
      "a*, a*b*, true",
      "abc, abc, true",
      "abc, abcd, false",
  })
  void containment(String outer, String inner, boolean contains) {
    assertThat(PolicyCoverage.contains(outer, inner)).isEqualTo(contains);
  }

  @ParameterizedTest(name = "{0} overlaps {1}: {2}")
  @CsvSource({
      "s3:DeleteObject, s3:*, true",
      "s3:Get*, s3:*Object, true",
      "s3:Get*, s3:Put*, false",
      "arn:aws:s3:::secret/*, arn:aws:s3:::data/*, false",
      "a?c, abc, true",
      "a?c, ac, false",
      "*, '', true",
  })
  void overlap(String x, String y, boolean overlap) {
    assertThat(PolicyCoverage.overlap(x, y)).isEqualTo(overlap);
    assertThat(PolicyCoverage.overlap(y, x)).isEqualTo(overlap);
  }

  private static JsonNode json(String singleQuoted) throws IOException {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }
}
