package main

import (
	"strings"
	"testing"
)

// What each form puts into the spec, field by field, and what it refuses.
func TestCreate(t *testing.T) {
	cases := []struct {
		args string
		want []string // lines the YAML must contain
		not  []string // lines it must not
	}{
		{"minio myaistor/ tester --name tester-key --description \"Access key for tester\"",
			[]string{"  name: tester", "    name: myaistor", "  user: tester", "  name: tester-key", "  description: Access key for tester"}, nil},
		{"minio myaistor", []string{"    name: myaistor", "  name: myaistor-key"}, []string{"  user:"}},
		{"minio myaistor/ --expiry 2027-01-15", []string{`  expiry: "2027-01-15"`}, nil},
		{"minio myaistor/ --expiry-duration 30d --renew-before 10d --grace-period 1h --secret-name app",
			[]string{"  expiryDuration: 30d", "  renewBefore: 10d", "    gracePeriod: 1h", "  secret:", "    name: app"}, nil},
		{"aws --user-name Bob --cluster-provider --profile shared -n team-a --resource-name billing",
			[]string{"  name: billing", "  namespace: team-a", "    name: shared", "    kind: ClusterAccessKeyProvider", "  user: Bob"}, nil},
		{"aws --user-name Bob --expiry-duration 30d", []string{"  expiryDuration: 30d"}, nil},
		{"aws --endpoint https://eim.eu-west-2.outscale.com --user-name U", []string{"    name: outscale-eim", "  user: U"}, nil},
		{"outscale --UserName User_Name --expiry-duration 30d", []string{"    name: outscale", "  user: User_Name", "  expiryDuration: 30d"}, nil},
		{"openid https://x --provider p --sts-only --expiry-duration 1h", []string{"    name: p", "  temporary: true", "  name: p-sts"}, []string{"  user:"}},
		{"minio my.alias/ Some_User", []string{"  name: some-user", "    name: my.alias"}, nil},
	}
	for _, c := range cases {
		var notes []string
		req, err := Create(splitWords(c.args), fakeEnv(&notes))
		if err != nil {
			t.Errorf("%s: %v", c.args, err)
			continue
		}
		got := YAML(req.Objects...)
		for _, line := range c.want {
			if !strings.Contains(got, line+"\n") {
				t.Errorf("%s: no line %q in\n%s", c.args, line, got)
			}
		}
		for _, line := range c.not {
			if strings.Contains(got, line) {
				t.Errorf("%s: unexpected %q in\n%s", c.args, line, got)
			}
		}
	}
}

func TestCreateRefuses(t *testing.T) {
	cases := map[string]string{
		"":             "create what",
		"gcp":          "unknown backend",
		"minio":        "usage",
		"minio a/ b c": "usage",
		"minio a/ --expiry 2027-01-15 --expiry-duration 24h": "mutually exclusive",
		"minio a/ --access-key k":                            "go together",
		"minio a/ --policy /nope.json":                       "--policy",
		"minio a/ --bogus 1":                                 "unknown flag --bogus",
		"minio a/ --name x --name y":                         "twice",
		"minio a/ --dry-run=server":                          "--dry-run takes client",
		"minio a/ --dry-run=client -o json":                  "-o takes yaml",
		"openid https://elsewhere.example.net":               "no MinIO OpenID provider",
		"openid https://x --provider p --sts-only --name n":  "--sts-only",
		"aws --cli-input-json {}":                            "no equivalent",
		"aws Bob":                                            "--user-name",
		"outscale --DryRun maybe":                            "true or false",
		"minio a/ --expiry":                                  "needs a value",
	}
	for args, want := range cases {
		var notes []string
		_, err := Create(splitWords(args), fakeEnv(&notes))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got error %v, want one containing %q", args, err, want)
		}
	}
}

func TestOutscaleDryRunAttributeIsAClientDryRun(t *testing.T) {
	var notes []string
	req, err := Create(splitWords("outscale --DryRun true -o yaml"), fakeEnv(&notes))
	if err != nil || !req.DryRun {
		t.Fatalf("--DryRun true: dry run %v, error %v", req.DryRun, err)
	}
}

func TestLoginFlagsAreNotedAsTheProvidersAndNeverPrinted(t *testing.T) {
	var notes []string
	req, err := Create(splitWords(`outscale --authentication-method password --login me --password hunter2 --dry-run=client -o yaml`), fakeEnv(&notes))
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "loginSecretRef") {
		t.Errorf("notes: %v", notes)
	}
	if out := YAML(req.Objects...); strings.Contains(out, "hunter2") {
		t.Errorf("the password reached the output:\n%s", out)
	}
}

func TestYAMLQuotesWhatWouldReadBackAsSomethingElse(t *testing.T) {
	for value, want := range map[string]string{
		"Bob": "Bob", "2063-04-05": `"2063-04-05"`, "true": `"true"`, "no": `"no"`, "24h": "24h", "1e3": `"1e3"`, "0x1F": `"0x1F"`, "10:00": `"10:00"`,
		"a: b": `"a: b"`, "Access key for tester": "Access key for tester", "": `""`, "*": `"*"`,
	} {
		if got := scalar(value); got != want {
			t.Errorf("scalar(%q) = %s, want %s", value, got, want)
		}
	}
}
