package main

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Obj is a YAML/JSON object whose keys keep the order they were added in, so the output reads
// like the manifests in the docs.
type Obj []Field

// Field is one key of an Obj. Values are string, bool, int64, Obj or map[string]string.
type Field struct {
	Key   string
	Value any
}

// Set appends a key, or replaces its value when it is already there.
func (o Obj) Set(key string, value any) Obj {
	for i, f := range o {
		if f.Key == key {
			o[i].Value = value
			return o
		}
	}
	return append(o, Field{key, value})
}

// Get returns a key's value, or nil.
func (o Obj) Get(key string) any {
	for _, f := range o {
		if f.Key == key {
			return f.Value
		}
	}
	return nil
}

// YAML renders objects as a multi-document YAML stream.
func YAML(objects ...Obj) string {
	var b strings.Builder
	for i, o := range objects {
		if i > 0 {
			b.WriteString("---\n")
		}
		writeObj(&b, o, 0)
	}
	return b.String()
}

func writeObj(b *strings.Builder, o Obj, indent int) {
	for _, f := range o {
		writeField(b, f.Key, f.Value, indent)
	}
}

func writeField(b *strings.Builder, key string, value any, indent int) {
	pad := strings.Repeat("  ", indent)
	switch v := value.(type) {
	case Obj:
		b.WriteString(pad + key + ":\n")
		writeObj(b, v, indent+1)
	case map[string]string:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString(pad + key + ":\n")
		for _, k := range keys {
			writeField(b, k, v[k], indent+1)
		}
	case bool:
		b.WriteString(pad + key + ": " + strconv.FormatBool(v) + "\n")
	case int64:
		b.WriteString(pad + key + ": " + strconv.FormatInt(v, 10) + "\n")
	case string:
		if strings.Contains(strings.TrimRight(v, "\n"), "\n") {
			b.WriteString(pad + key + ": |" + chomp(v) + "\n")
			for _, line := range strings.Split(strings.TrimRight(v, "\n"), "\n") {
				if line == "" {
					b.WriteString("\n")
				} else {
					b.WriteString(pad + "  " + line + "\n")
				}
			}
		} else {
			b.WriteString(pad + key + ": " + scalar(v) + "\n")
		}
	}
}

// chomp is the block indicator that keeps exactly the string's trailing newline (or none).
func chomp(v string) string {
	if strings.HasSuffix(v, "\n") {
		return ""
	}
	return "-"
}

var plain = regexp.MustCompile(`^[A-Za-z_/][A-Za-z0-9 _./@:+=,()-]*$`)
var special = regexp.MustCompile(`(?i)^(true|false|yes|no|on|off|y|n|null|~)$`)

// durations such as 24h or 5d12h30s start with a digit but read back as strings; numbers in
// other bases (0x1F) and exponents (1e3) do not
var duration = regexp.MustCompile(`^[0-9]+[a-zA-Z][0-9a-zA-Z]*$`)
var numeric = regexp.MustCompile(`^(0[xXoObB]|[0-9]+[eE][0-9]+$)`)

// scalar writes a string plain when YAML reads it back as the same string, quoted otherwise.
func scalar(v string) string {
	if duration.MatchString(v) && !numeric.MatchString(v) {
		return v
	}
	if plain.MatchString(v) && !special.MatchString(v) && !strings.HasSuffix(v, " ") &&
		!strings.Contains(v, ": ") && !strings.Contains(v, " #") {
		return v
	}
	return strconv.Quote(v)
}
