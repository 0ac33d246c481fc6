package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

// The page that shows each command with the objects it makes. KEYWARDEN_UPDATE_DOCS=1 go test
// rewrites its yaml blocks from the plugin's output; otherwise a difference fails.
const page = "../../docs/kubectl-keywarden.md"

// Every example command of the reference pages, verbatim, with the CLI's name.
var referenceCommands = []string{
	// mc admin accesskey create
	"mc admin accesskey create myaistor/",
	"mc admin accesskey create myaistor/ --access-key myaccesskey --secret-key mysecretkey",
	"mc admin accesskey create myaistor/ myaistoruser --expiry-duration 24h",
	"mc admin accesskey create myaistor/ --expiry 2027-01-15",
	"mc admin accesskey create myaistor/ aistoruser --policy /path/to/policy.json",
	// mc idp openid accesskey create-with-login
	"mc idp openid accesskey create-with-login https://myaistor.example.net",
	"mc idp openid accesskey create-with-login https://myaistor.example.net myoidc",
	"mc idp openid accesskey create-with-login https://myaistor.example.net --sts-only",
	"mc idp openid accesskey create-with-login https://myaistor.example.net --expiry-duration 24h",
	// aws iam create-access-key
	"aws iam create-access-key --user-name Bob",
	// Outscale CreateAccessKey, for the account and for an EIM user
	`osc-cli api CreateAccessKey --profile "default" --ExpirationDate "2063-04-05"`,
	`osc-cli api CreateAccessKey --profile "default" --authentication-method "password" --login "$OSC_EMAIL" --password "$OSC_PASSWORD" --ExpirationDate "2063-04-05"`,
	"aws iam create-access-key --profile YOUR_PROFILE --user-name USER_NAME --endpoint https://eim.eu-west-2.outscale.com",
}

var cliNames = [][2]string{
	{"mc admin accesskey create ", "create minio "},
	{"mc idp openid accesskey create-with-login ", "create openid "},
	{"aws iam create-access-key", "create aws"},
	{"osc-cli api CreateAccessKey", "create outscale"},
}

// pluginForm is the reference command as kubectl keywarden takes it, printing what it would apply.
func pluginForm(command string) string {
	for _, n := range cliNames {
		if strings.HasPrefix(command, n[0]) {
			return "kubectl keywarden " + n[1] + strings.TrimPrefix(command, n[0]) + " --dry-run=client -o yaml"
		}
	}
	panic("no CLI name in " + command)
}

// splitWords splits a command line as a shell would for these examples: spaces, and double quotes.
func splitWords(line string) []string {
	var words []string
	var word strings.Builder
	inQuotes, any := false, false
	for _, r := range line {
		switch {
		case r == '"':
			inQuotes, any = !inQuotes, true
		case r == ' ' && !inQuotes:
			if any {
				words = append(words, word.String())
				word.Reset()
				any = false
			}
		default:
			word.WriteRune(r)
			any = true
		}
	}
	if any {
		words = append(words, word.String())
	}
	return words
}

const policy = `{"Version": "2012-10-17",
 "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::data/*"]}]}
`

// fakeEnv: the policy file of the reference page, and the OpenID provider of deploy/examples/minio-openid.yaml.
func fakeEnv(notes *[]string) Env {
	return Env{
		ReadFile: func(path string) (string, error) {
			if path == "/path/to/policy.json" {
				return policy, nil
			}
			return "", fmt.Errorf("open %s: no such file", path)
		},
		OpenIDProvider: func(namespace, url string) (ProviderRef, error) {
			if url == "https://myaistor.example.net" {
				return ProviderRef{Name: "minio-oidc"}, nil
			}
			return ProviderRef{}, fmt.Errorf("no MinIO OpenID provider with endpoint %s", url)
		},
		Note: func(text string) { *notes = append(*notes, text) },
	}
}

var example = regexp.MustCompile("(?s)```console\n\\$ (kubectl keywarden [^\n]*)\n```\n\n```yaml\n(.*?)```")

func TestEveryReferenceCommandIsOnThePageWithWhatItMakes(t *testing.T) {
	raw, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	shown := map[string]string{}
	for _, m := range example.FindAllStringSubmatch(text, -1) {
		shown[m[1]] = m[2]
	}
	if len(shown) == 0 {
		t.Fatal("no examples found on the page: the pattern no longer matches")
	}
	for _, command := range referenceCommands {
		if _, ok := shown[pluginForm(command)]; !ok {
			t.Errorf("the page does not show %q (for %q)", pluginForm(command), command)
		}
	}
	update := os.Getenv("KEYWARDEN_UPDATE_DOCS") == "1"
	for command, want := range shown {
		var notes []string
		req, err := Create(splitWords(command)[3:], fakeEnv(&notes))
		if err != nil {
			t.Errorf("%s: %v", command, err)
			continue
		}
		got := YAML(req.Objects...)
		if got != want {
			if update {
				text = strings.Replace(text, "$ "+command+"\n```\n\n```yaml\n"+want, "$ "+command+"\n```\n\n```yaml\n"+got, 1)
			} else {
				t.Errorf("%s\nthe page shows:\n%s\nthe plugin makes:\n%s", command, want, got)
			}
		}
		if !req.DryRun || req.Output != "yaml" {
			t.Errorf("%s: not a dry run printing yaml", command)
		}
	}
	if update {
		if err := os.WriteFile(page, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
