package main

import (
	"fmt"
	"strings"
)

// Args are a command line split into flags and positional arguments, as the reference CLIs take
// them: --flag value, --flag=value, and boolean flags without a value, in any order.
type Args struct {
	Positional []string
	values     map[string]string
	seen       []string
}

// Parse splits args by the flags a command knows: names mapped to whether they take a value.
func Parse(args []string, known map[string]bool) (Args, error) {
	a := Args{values: map[string]string{}}
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "-") || arg == "-" {
			a.Positional = append(a.Positional, arg)
			continue
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if strings.HasPrefix(arg, "-") && !strings.HasPrefix(arg, "--") && len(name) == 1 {
			name = "-" + name // short flags keep one dash: -n, -o
		}
		takesValue, ok := known[name]
		if !ok {
			return a, fmt.Errorf("unknown flag %s", arg)
		}
		if _, twice := a.values[name]; twice {
			return a, fmt.Errorf("flag --%s given twice", name)
		}
		if takesValue && !hasValue {
			if i+1 >= len(args) {
				return a, fmt.Errorf("flag %s needs a value", arg)
			}
			i++
			value = args[i]
		} else if !takesValue && !hasValue {
			value = "true"
		}
		a.values[name] = value
		a.seen = append(a.seen, name)
	}
	return a, nil
}

// Value is a flag's value, "" when absent.
func (a Args) Value(name string) string {
	return a.values[name]
}

// Has tells whether a flag was given.
func (a Args) Has(name string) bool {
	_, ok := a.values[name]
	return ok
}

// Bool is a boolean flag: given without a value, or with true.
func (a Args) Bool(name string) (bool, error) {
	v, ok := a.values[name]
	if !ok {
		return false, nil
	}
	switch strings.ToLower(v) {
	case "true", "":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("--%s takes true or false, got %q", name, v)
}
