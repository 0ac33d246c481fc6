package main

import (
	"fmt"
	"regexp"
	"strings"
)

const apiVersion = "keywarden.io/v1alpha1"

// Env is what building objects needs from outside: files (--policy) and the cluster (which
// provider serves an OpenID URL). Tests give fakes; the command gives the real ones.
type Env struct {
	ReadFile       func(path string) (string, error)
	OpenIDProvider func(namespace, url string) (ProviderRef, error)
	Note           func(text string)
}

// ProviderRef names the provider an AccessKey uses.
type ProviderRef struct {
	Name    string
	Cluster bool
}

// Request is what a create command asks for: the objects to apply and where.
type Request struct {
	Namespace string
	DryRun    bool
	Output    string
	Objects   []Obj
}

// flags every create form takes, beyond its CLI's own
var common = map[string]bool{
	"resource-name": true, "n": true, "-n": true, "namespace": true, "cluster-provider": false,
	"renew-before": true, "grace-period": true, "secret-name": true,
	"dry-run": true, "o": true, "-o": true, "output": true,
}

// flags of mc admin accesskey create and mc idp openid accesskey create-with-login
var mcFlags = map[string]bool{
	"access-key": true, "secret-key": true, "name": true, "description": true, "policy": true,
	"expiry": true, "expiry-duration": true,
}

// Create turns `create <backend> ...` into the AccessKey (and the Secret of custom credentials).
func Create(args []string, env Env) (Request, error) {
	if len(args) == 0 {
		return Request{}, fmt.Errorf("create what? minio, openid, aws or outscale")
	}
	backend, rest := args[0], args[1:]
	switch backend {
	case "minio":
		return createMinio(rest, env)
	case "openid":
		return createOpenID(rest, env)
	case "aws":
		return createAws(rest, env)
	case "outscale":
		return createOutscale(rest, env)
	}
	return Request{}, fmt.Errorf("unknown backend %q: minio, openid, aws or outscale", backend)
}

func known(sets ...map[string]bool) map[string]bool {
	all := map[string]bool{}
	for _, set := range sets {
		for k, v := range set {
			all[k] = v
		}
	}
	return all
}

// mc admin accesskey create ALIAS/ [USER] [flags]
func createMinio(args []string, env Env) (Request, error) {
	a, err := Parse(args, known(common, mcFlags))
	if err != nil {
		return Request{}, err
	}
	if len(a.Positional) < 1 || len(a.Positional) > 2 {
		return Request{}, fmt.Errorf("usage: create minio ALIAS/ [USER] [flags]")
	}
	provider := ProviderRef{Name: strings.TrimSuffix(a.Positional[0], "/")}
	user := ""
	if len(a.Positional) == 2 {
		user = a.Positional[1]
	}
	return build(a, env, provider, user, true)
}

// mc idp openid accesskey create-with-login URL [CONFIG] [flags]
func createOpenID(args []string, env Env) (Request, error) {
	a, err := Parse(args, known(common, mcFlags, map[string]bool{"sts-only": false, "provider": true}))
	if err != nil {
		return Request{}, err
	}
	if len(a.Positional) < 1 || len(a.Positional) > 2 {
		return Request{}, fmt.Errorf("usage: create openid URL [CONFIG] [flags]")
	}
	if len(a.Positional) == 2 {
		env.Note(fmt.Sprintf("CONFIG %s: the provider's serviceAccountToken.audience and openid.roleArn choose the OpenID configuration", a.Positional[1]))
	}
	var provider ProviderRef
	if a.Has("provider") {
		provider = ProviderRef{Name: a.Value("provider"), Cluster: a.Has("cluster-provider")}
	} else {
		provider, err = env.OpenIDProvider(namespace(a), a.Positional[0])
		if err != nil {
			return Request{}, err
		}
	}
	return build(a, env, provider, "", true)
}

// aws iam create-access-key [--user-name NAME] [--profile PROVIDER] [--endpoint URL]
func createAws(args []string, env Env) (Request, error) {
	a, err := Parse(args, known(common, map[string]bool{
		"user-name": true, "profile": true, "endpoint": true, "expiry": true, "expiry-duration": true,
		"cli-input-json": true, "generate-cli-skeleton": true}))
	if err != nil {
		return Request{}, err
	}
	if a.Has("cli-input-json") || a.Has("generate-cli-skeleton") {
		return Request{}, fmt.Errorf("--cli-input-json and --generate-cli-skeleton have no equivalent: the AccessKey is the input (kubectl explain accesskey.spec)")
	}
	if len(a.Positional) > 0 {
		return Request{}, fmt.Errorf("unexpected argument %q: the user is --user-name", a.Positional[0])
	}
	provider := a.Value("profile")
	if provider == "" {
		provider = "aws"
		if strings.Contains(a.Value("endpoint"), "://eim.") {
			provider = "outscale-eim" // reference page: aws iam create-access-key --endpoint https://eim.<region>.outscale.com
		}
	}
	if a.Has("endpoint") {
		env.Note("--endpoint " + a.Value("endpoint") + " is the provider's (spec.aws.endpoint or spec.outscale with api: eim); using provider " + provider)
	}
	return build(a, env, ProviderRef{Name: provider, Cluster: a.Has("cluster-provider")}, a.Value("user-name"), false)
}

// osc-cli api CreateAccessKey [--profile PROVIDER] [--UserName NAME] [--ExpirationDate DATE]
func createOutscale(args []string, env Env) (Request, error) {
	a, err := Parse(args, known(common, map[string]bool{
		"profile": true, "UserName": true, "ExpirationDate": true, "DryRun": true,
		"authentication-method": true, "login": true, "password": true, "expiry-duration": true}))
	if err != nil {
		return Request{}, err
	}
	if len(a.Positional) > 0 {
		return Request{}, fmt.Errorf("unexpected argument %q", a.Positional[0])
	}
	if a.Has("authentication-method") || a.Has("login") || a.Has("password") {
		env.Note("--authentication-method, --login and --password belong to the provider (spec.outscale.credentials.loginSecretRef); ignored")
	}
	provider := a.Value("profile")
	if provider == "" {
		provider = "outscale"
	}
	// the OAPI attribute names, spelled as keywarden's fields
	renamed := a
	renamed.values = map[string]string{}
	for k, v := range a.values {
		renamed.values[k] = v
	}
	if a.Has("ExpirationDate") {
		renamed.values["expiry"] = a.Value("ExpirationDate")
	}
	dryRun, err := a.Bool("DryRun")
	if err != nil {
		return Request{}, err
	}
	if dryRun && !a.Has("dry-run") {
		renamed.values["dry-run"] = "client"
	}
	return build(renamed, env, ProviderRef{Name: provider, Cluster: a.Has("cluster-provider")}, a.Value("UserName"), false)
}

func namespace(a Args) string {
	for _, n := range []string{"namespace", "-n", "n"} {
		if a.Has(n) {
			return a.Value(n)
		}
	}
	return ""
}

var dnsUnsafe = regexp.MustCompile(`[^a-z0-9-]+`)

// defaultName is the AccessKey's name when --resource-name is not given: the user's, else the provider's.
func defaultName(provider, user string, temporary bool) string {
	base := provider + "-key"
	if user != "" {
		base = user
	} else if temporary {
		base = provider + "-sts"
	}
	name := strings.Trim(dnsUnsafe.ReplaceAllString(strings.ToLower(base), "-"), "-")
	if len(name) > 63 {
		name = strings.Trim(name[:63], "-")
	}
	return name
}

func build(a Args, env Env, provider ProviderRef, user string, minio bool) (Request, error) {
	if provider.Name == "" {
		return Request{}, fmt.Errorf("no provider: name the MinIO alias, or --profile")
	}
	if a.Has("expiry") && a.Has("expiry-duration") {
		return Request{}, fmt.Errorf("--expiry and --expiry-duration are mutually exclusive")
	}
	if a.Has("access-key") != a.Has("secret-key") {
		return Request{}, fmt.Errorf("--access-key and --secret-key go together")
	}
	temporary, err := a.Bool("sts-only")
	if err != nil {
		return Request{}, err
	}
	if temporary && (a.Has("access-key") || a.Has("name") || a.Has("description") || a.Has("expiry")) {
		return Request{}, fmt.Errorf("--sts-only returns temporary credentials: no --access-key, --secret-key, --name, --description or --expiry")
	}
	name := a.Value("resource-name")
	if name == "" {
		name = defaultName(provider.Name, user, temporary)
	}

	ref := Obj{{"name", provider.Name}}
	if provider.Cluster {
		ref = ref.Set("kind", "ClusterAccessKeyProvider")
	}
	spec := Obj{{"provider", ref}}
	if user != "" {
		spec = spec.Set("user", user)
	}
	if minio {
		if a.Has("name") {
			spec = spec.Set("name", a.Value("name"))
		}
		if a.Has("description") {
			spec = spec.Set("description", a.Value("description"))
		}
		if a.Has("policy") {
			policy, err := env.ReadFile(a.Value("policy"))
			if err != nil {
				return Request{}, fmt.Errorf("--policy: %w", err)
			}
			spec = spec.Set("policy", policy)
		}
	}
	var objects []Obj
	if a.Has("access-key") {
		secretName := name + "-credentials"
		spec = spec.Set("credentialsRef", Obj{{"secretRef", Obj{{"name", secretName}}}})
		objects = append(objects, Obj{
			{"apiVersion", "v1"}, {"kind", "Secret"},
			{"metadata", meta(secretName, a)},
			{"type", "Opaque"},
			{"stringData", Obj{{"accessKey", a.Value("access-key")}, {"secretKey", a.Value("secret-key")}}},
		})
	}
	if a.Has("expiry") {
		spec = spec.Set("expiry", a.Value("expiry"))
	}
	if a.Has("expiry-duration") {
		spec = spec.Set("expiryDuration", a.Value("expiry-duration"))
	}
	if a.Has("renew-before") {
		spec = spec.Set("renewBefore", a.Value("renew-before"))
	}
	if a.Has("grace-period") {
		spec = spec.Set("rotation", Obj{{"gracePeriod", a.Value("grace-period")}})
	}
	if temporary {
		spec = spec.Set("temporary", true)
	}
	if a.Has("secret-name") {
		spec = spec.Set("secret", Obj{{"name", a.Value("secret-name")}})
	}
	accessKey := Obj{{"apiVersion", apiVersion}, {"kind", "AccessKey"}, {"metadata", meta(name, a)}, {"spec", spec}}
	objects = append(objects, accessKey) // after the Secret it reads

	req := Request{Namespace: namespace(a), Objects: objects, Output: a.Value("output")}
	if req.Output == "" {
		req.Output = a.Value("-o")
	}
	switch a.Value("dry-run") {
	case "", "none":
	case "client":
		req.DryRun = true
	default:
		return Request{}, fmt.Errorf("--dry-run takes client (or none), got %q", a.Value("dry-run"))
	}
	if req.Output != "" && req.Output != "yaml" {
		return Request{}, fmt.Errorf("-o takes yaml, got %q", req.Output)
	}
	return req, nil
}

func meta(name string, a Args) Obj {
	m := Obj{{"name", name}}
	if ns := namespace(a); ns != "" {
		m = m.Set("namespace", ns)
	}
	return m
}
