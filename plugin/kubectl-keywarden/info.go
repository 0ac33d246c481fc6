package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
)

// AccessKey is the part of an AccessKey that info and ls show.
type AccessKey struct {
	Metadata struct {
		Name      string
		Namespace string
	}
	Spec struct {
		Provider  struct{ Name, Kind string }
		User      string
		State     string
		Temporary bool
	}
	Status struct {
		AccessKeyID         string `json:"accessKeyId"`
		User                string
		CreatedAt           string
		ExpiresAt           string
		RenewalTime         string
		Revision            int64
		PreviousAccessKeyID string `json:"previousAccessKeyId"`
		PreviousRetireAt    string
		Conditions          []struct{ Type, Status, Reason, Message string }
	}
}

func orNever(t string) string {
	if t == "" {
		return "never"
	}
	return t
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (k AccessKey) condition(kind string) (status, reason, message string) {
	for _, c := range k.Status.Conditions {
		if c.Type == kind {
			return c.Status, c.Reason, c.Message
		}
	}
	return "Unknown", "", "keywarden has not reported yet"
}

// Info is what `mc admin accesskey info` shows, for an AccessKey: id, user, status, expiry,
// renewal, revision, rotation progress.
func Info(k AccessKey) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 1, ' ', 0)
	ready, reason, message := k.condition("Ready")
	status := "on"
	if k.Spec.State == "Inactive" || reason == "KeyInactive" {
		status = "off"
	}
	if k.Status.AccessKeyID == "" {
		status = "none yet"
	}
	user := k.Status.User
	if user == "" {
		user = k.Spec.User
	}
	if user == "" {
		user = "(the provider's own identity)"
	}
	provider := k.Spec.Provider.Name
	if k.Spec.Provider.Kind == "ClusterAccessKeyProvider" {
		provider += " (ClusterAccessKeyProvider)"
	}
	rotation := "none"
	if k.Status.PreviousAccessKeyID != "" {
		rotation = fmt.Sprintf("previous key %s active until %s", k.Status.PreviousAccessKeyID, orNever(k.Status.PreviousRetireAt))
	}
	fmt.Fprintf(w, "AccessKey:\t%s/%s\n", k.Metadata.Namespace, k.Metadata.Name)
	fmt.Fprintf(w, "Provider:\t%s\n", provider)
	fmt.Fprintf(w, "Access Key:\t%s\n", orNone(k.Status.AccessKeyID))
	fmt.Fprintf(w, "Parent User:\t%s\n", user)
	fmt.Fprintf(w, "Status:\t%s\n", status)
	fmt.Fprintf(w, "Created:\t%s\n", orNone(k.Status.CreatedAt))
	fmt.Fprintf(w, "Expiration:\t%s\n", orNever(k.Status.ExpiresAt))
	renewal := k.Status.RenewalTime
	if renewal == "" {
		renewal = "none (no expiryDuration)"
	}
	fmt.Fprintf(w, "Renewal:\t%s\n", renewal)
	fmt.Fprintf(w, "Revision:\t%d\n", k.Status.Revision)
	fmt.Fprintf(w, "Rotation:\t%s\n", rotation)
	fmt.Fprintf(w, "Ready:\t%s %s: %s\n", ready, reason, message)
	w.Flush()
	return b.String()
}

// List is one line per AccessKey.
func List(keys []AccessKey) string {
	var b strings.Builder
	w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "NAMESPACE\tNAME\tPROVIDER\tUSER\tACCESS KEY\tREADY\tEXPIRES\tREVISION")
	for _, k := range keys {
		ready, reason, _ := k.condition("Ready")
		user := k.Status.User
		if user == "" {
			user = orNone(k.Spec.User)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", k.Metadata.Namespace, k.Metadata.Name, k.Spec.Provider.Name,
			user, orNone(k.Status.AccessKeyID), strings.TrimSpace(ready+" "+reason), orNever(k.Status.ExpiresAt), k.Status.Revision)
	}
	w.Flush()
	return b.String()
}
