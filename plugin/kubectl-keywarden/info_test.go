package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func key(t *testing.T, j string) AccessKey {
	var k AccessKey
	if err := json.Unmarshal([]byte(j), &k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestInfoShowsWhatMcShowsAndNeverNull(t *testing.T) {
	k := key(t, `{"metadata": {"name": "billing", "namespace": "team-a"},
	  "spec": {"provider": {"name": "aws"}, "user": "Bob"},
	  "status": {"accessKeyId": "AKIA1", "user": "Bob", "revision": 2, "createdAt": "2026-01-01T00:00:00Z",
	    "previousAccessKeyId": "AKIA0", "previousRetireAt": "2026-01-01T00:10:00Z",
	    "conditions": [{"type": "Ready", "status": "True", "reason": "KeyActive", "message": "access key AKIA1 is active"}]}}`)
	out := Info(k)
	for _, want := range []string{"AccessKey:   team-a/billing", "Access Key:  AKIA1", "Parent User: Bob", "Status:      on",
		"Expiration:  never", "Revision:    2", "previous key AKIA0 active until 2026-01-01T00:10:00Z", "Ready:       True KeyActive"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "null") || strings.Contains(out, "<nil>") {
		t.Errorf("null in\n%s", out)
	}
}

func TestInfoBeforeTheFirstKey(t *testing.T) {
	out := Info(key(t, `{"metadata": {"name": "k", "namespace": "n"}, "spec": {"provider": {"name": "p"}}}`))
	for _, want := range []string{"Access Key:  -", "Status:      none yet", "Ready:       Unknown", "(the provider's own identity)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
}

func TestListShowsEveryKey(t *testing.T) {
	out := List([]AccessKey{
		key(t, `{"metadata": {"name": "a", "namespace": "n"}, "spec": {"provider": {"name": "p"}},
		  "status": {"accessKeyId": "K1", "expiresAt": "2027-01-01T00:00:00Z", "revision": 1,
		  "conditions": [{"type": "Ready", "status": "False", "reason": "Throttled"}]}}`),
		key(t, `{"metadata": {"name": "b", "namespace": "n"}, "spec": {"provider": {"name": "p"}, "user": "u"}}`),
	})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and 2 lines:\n%s", out)
	}
	if !strings.Contains(lines[1], "False Throttled") || !strings.Contains(lines[1], "2027-01-01T00:00:00Z") {
		t.Errorf("line 1: %s", lines[1])
	}
	if !strings.Contains(lines[2], "never") || !strings.Contains(lines[2], " u ") {
		t.Errorf("line 2: %s", lines[2])
	}
}
