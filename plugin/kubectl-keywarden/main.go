// kubectl-keywarden: a kubectl plugin that speaks the flags of the CLIs keywarden replaces
// (mc admin accesskey create, mc idp openid accesskey create-with-login, aws iam
// create-access-key, osc-cli api CreateAccessKey) and turns them into AccessKeys. It runs kubectl
// for everything it reads or writes, so it uses your kubeconfig, context and RBAC as they are.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

const usage = `kubectl keywarden: access keys as AccessKeys, with the flags of the CLIs they replace

  create minio ALIAS/ [USER] [--access-key K --secret-key S] [--name N] [--description D]
               [--policy FILE] [--expiry DATE | --expiry-duration DURATION]
                                     mc admin accesskey create; ALIAS is the AccessKeyProvider
  create openid URL [CONFIG] [--sts-only] [--provider P] [the flags above]
                                     mc idp openid accesskey create-with-login; the provider is
                                     the OpenID provider with that endpoint (or --provider)
  create aws [--user-name USER] [--profile PROVIDER] [--endpoint URL]
                                     aws iam create-access-key (also Outscale EIM)
  create outscale [--UserName USER] [--ExpirationDate DATE] [--profile PROVIDER]
                                     osc-cli api CreateAccessKey
    every create also takes: --resource-name NAME (the AccessKey's; default from the user),
    -n NAMESPACE, --cluster-provider, --renew-before D, --grace-period D, --secret-name S,
    --dry-run=client [-o yaml] (print instead of applying)
  rotate NAME [-n NAMESPACE]          rotate now (sets keywarden.io/rotate)
  info NAME [-n NAMESPACE]            what mc admin accesskey info shows
  ls [-n NAMESPACE | -A]              the AccessKeys and their keys
  revoke NAME [-n NAMESPACE]          revoke a leaked key now (sets keywarden.io/revoke): a new key is
                                     published and the old one deactivated and deleted at once
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "--help" || args[0] == "-h" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	note := func(text string) { fmt.Fprintln(stderr, "note:", text) }
	switch args[0] {
	case "create":
		req, err := Create(args[1:], Env{ReadFile: readFile, OpenIDProvider: openIDProvider, Note: note})
		if err != nil {
			return err
		}
		manifest := YAML(req.Objects...)
		if req.DryRun {
			if req.Output == "" {
				for _, o := range req.Objects {
					fmt.Fprintf(stdout, "%s/%s created (dry run)\n", strings.ToLower(o.Get("kind").(string)), o.Get("metadata").(Obj).Get("name"))
				}
				return nil
			}
			fmt.Fprint(stdout, manifest)
			return nil
		}
		out, err := kubectl(manifest, withNamespace(req.Namespace, "apply", "-f", "-")...)
		fmt.Fprint(stdout, out)
		return err
	case "rotate", "revoke":
		a, err := Parse(args[1:], map[string]bool{"n": true, "-n": true, "namespace": true})
		if err != nil || len(a.Positional) != 1 {
			return fmt.Errorf("usage: %s NAME [-n NAMESPACE]", args[0])
		}
		request := time.Now().UTC().Format(time.RFC3339Nano)
		out, err := kubectl("", withNamespace(namespace(a), "annotate", "accesskey", a.Positional[0],
			"keywarden.io/"+args[0]+"="+request, "--overwrite")...)
		fmt.Fprint(stdout, out)
		return err
	case "info":
		a, err := Parse(args[1:], map[string]bool{"n": true, "-n": true, "namespace": true})
		if err != nil || len(a.Positional) != 1 {
			return fmt.Errorf("usage: info NAME [-n NAMESPACE]")
		}
		out, err := kubectl("", withNamespace(namespace(a), "get", "accesskey", a.Positional[0], "-o", "json")...)
		if err != nil {
			return err
		}
		var key AccessKey
		if err := json.Unmarshal([]byte(out), &key); err != nil {
			return err
		}
		fmt.Fprint(stdout, Info(key))
		return nil
	case "ls":
		a, err := Parse(args[1:], map[string]bool{"n": true, "-n": true, "namespace": true, "A": false, "-A": false, "all-namespaces": false})
		if err != nil {
			return err
		}
		get := []string{"get", "accesskeys", "-o", "json"}
		if a.Has("-A") || a.Has("A") || a.Has("all-namespaces") {
			get = append(get, "--all-namespaces")
		} else {
			get = withNamespace(namespace(a), get...)
		}
		out, err := kubectl("", get...)
		if err != nil {
			return err
		}
		var list struct{ Items []AccessKey }
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			return err
		}
		fmt.Fprint(stdout, List(list.Items))
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

func withNamespace(ns string, args ...string) []string {
	if ns == "" {
		return args
	}
	return append([]string{"-n", ns}, args...)
}

// kubectl runs kubectl (KUBECTL, else the one on PATH) and returns its stdout; its stderr is passed on.
func kubectl(stdin string, args ...string) (string, error) {
	bin := os.Getenv("KUBECTL")
	if bin == "" {
		bin = "kubectl"
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("kubectl %s: %w", strings.Join(args, " "), err)
	}
	return out.String(), nil
}

func readFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	return string(b), err
}

// openIDProvider finds the MinIO OpenID provider whose endpoint is url: a namespaced one first.
func openIDProvider(ns, url string) (ProviderRef, error) {
	want := strings.TrimSuffix(url, "/")
	var found []ProviderRef
	for _, kind := range []string{"accesskeyproviders", "clusteraccesskeyproviders"} {
		args := []string{"get", kind, "-o", "json"}
		if kind == "accesskeyproviders" {
			args = withNamespace(ns, args...)
		}
		out, err := kubectl("", args...)
		if err != nil {
			return ProviderRef{}, err
		}
		var list struct {
			Items []struct {
				Metadata struct{ Name string }
				Spec     struct {
					Minio *struct {
						Endpoint string
						OpenID   *json.RawMessage `json:"openid"`
					}
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			return ProviderRef{}, err
		}
		for _, p := range list.Items {
			if p.Spec.Minio != nil && p.Spec.Minio.OpenID != nil && strings.TrimSuffix(p.Spec.Minio.Endpoint, "/") == want {
				found = append(found, ProviderRef{Name: p.Metadata.Name, Cluster: kind == "clusteraccesskeyproviders"})
			}
		}
		if len(found) > 0 {
			break
		}
	}
	switch len(found) {
	case 0:
		return ProviderRef{}, fmt.Errorf("no MinIO OpenID provider with endpoint %s: create one, or name it with --provider", url)
	case 1:
		return found[0], nil
	}
	return ProviderRef{}, fmt.Errorf("%d OpenID providers have endpoint %s: choose one with --provider", len(found), url)
}
