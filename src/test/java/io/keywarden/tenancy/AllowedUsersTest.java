package io.keywarden.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AllowedUsersTest {

  /**
   * list: entries separated by '|', "-" for no spec.allowedUsers, "" for an empty list; user: "-"
   * for no spec.user (the provider's own identity).
   */
  @ParameterizedTest(name = "{0} provider, list {1}, namespace {2}, user {3}: allowed={4}")
  @CsvSource(delimiter = ';', emptyValue = "", value = {
      // no list: a namespaced provider serves everyone, a cluster provider no one
      "namespaced; -;                       team-a; bob;             true",
      "namespaced; -;                       team-a; -;               true",
      "cluster;    -;                       team-a; bob;             false",
      "cluster;    -;                       team-a; -;               false",
      // an empty list allows nothing, on either kind
      "namespaced; '';                      team-a; bob;             false",
      "cluster;    '';                      team-a; -;               false",
      // exact names, case-sensitive, whole name
      "cluster;    ci-bot;                  team-a; ci-bot;          true",
      "cluster;    ci-bot;                  team-a; CI-BOT;          false",
      "cluster;    ci-bot;                  team-a; ci-bot2;         false",
      "cluster;    ci-bot;                  team-a; x-ci-bot;        false",
      "namespaced; ci-bot|admin;            team-a; admin;           true",
      "namespaced; ci-bot;                  team-a; admin;           false",
      // globs
      "cluster;    app-*;                   team-a; app-;            true",
      "cluster;    app-*;                   team-a; app-billing;     true",
      "cluster;    app-*;                   team-a; myapp-billing;   false",
      "cluster;    app-?;                   team-a; app-1;           true",
      "cluster;    app-?;                   team-a; app-12;          false",
      "cluster;    *;                       team-a; anyone;          true",
      // regex characters in an entry are literal
      "cluster;    a.b;                     team-a; a.b;             true",
      "cluster;    a.b;                     team-a; axb;             false",
      "cluster;    a+b;                     team-a; aab;             false",
      "cluster;    a+b;                     team-a; a+b;             true",
      // ${namespace}
      "cluster;    team-${namespace}-*;     team-a; team-team-a-ci;  true",
      "cluster;    ${namespace}.*;          team-a; team-a.ci;       true",
      "cluster;    ${namespace}.*;          team-b; team-a.ci;       false",
      "cluster;    ${namespace};            team-a; team-a;          true",
      "cluster;    ${namespace};            team-a; team-b;          false",
      "cluster;    svc-${namespace}-*;      a;      svc-b-x;         false",
      // a '-' after ${namespace} lets namespace a reach the users of namespace a-b: docs/security.md
      // says to put a character namespaces cannot contain there ('.' or '_')
      "cluster;    svc-${namespace}-*;      a;      svc-a-b-x;       true",
      "cluster;    svc-${namespace}_*;      a;      svc-a-b_x;       false",
      // the provider's own identity: only the explicit entry, never a pattern
      "cluster;    ${identity};             team-a; -;               true",
      "namespaced; ${identity};             team-a; -;               true",
      "cluster;    *;                       team-a; -;               false",
      "namespaced; ci-bot;                  team-a; -;               false",
      "cluster;    ${identity};             team-a; bob;             false",
      "cluster;    ${identity};             team-a; ${identity};     false",
      "cluster;    ${identity}|bob;         team-a; bob;             true",
  })
  void decides(String kind, String list, String namespace, String user, boolean allowed) {
    List<String> entries = list.equals("-") ? null : list.isEmpty() ? List.of() : Arrays.asList(list.split("\\|"));
    String refusal = AllowedUsers.refusal(entries, kind.equals("cluster"), namespace, user.equals("-") ? null : user);
    assertThat(refusal == null).as("refusal: %s", refusal).isEqualTo(allowed);
  }

  @ParameterizedTest
  @CsvSource(delimiter = ';', value = {
      "cluster;    -;           bob; a cluster provider without spec.allowedUsers serves no user",
      "cluster;    ci-*;        -;   spec.allowedUsers does not contain ${identity}",
      "namespaced; ci-*|x;      bob; no entry of spec.allowedUsers [ci-*, x] matches it in namespace team-a",
  })
  void saysWhy(String kind, String list, String user, String why) {
    List<String> entries = list.equals("-") ? null : Arrays.asList(list.split("\\|"));
    assertThat(AllowedUsers.refusal(entries, kind.equals("cluster"), "team-a", user.equals("-") ? null : user))
        .startsWith(why);
  }
}
