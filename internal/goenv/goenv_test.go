package goenv

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFingerprint checks that the fingerprint is stable, and that each kind
// of ingredient changes it: a variable of Vars, the go env file, another
// go command on PATH.
func TestFingerprint(t *testing.T) {
	envFile := filepath.Join(t.TempDir(), "env")
	t.Setenv("GOENV", envFile)
	t.Setenv("GOFLAGS", "")
	fp := func() string {
		t.Helper()
		f, err := Fingerprint()
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	base := fp()
	if fp() != base {
		t.Fatal("two fingerprints of the same setting differ")
	}
	t.Setenv("UNRELATED_VARIABLE", "x")
	if fp() != base {
		t.Error("a variable the go command does not read changed the fingerprint")
	}
	steps := []struct {
		name   string
		change func()
	}{
		{"GOFLAGS", func() { t.Setenv("GOFLAGS", "-tags=x") }},
		{"the go env file", func() {
			if err := os.WriteFile(envFile, []byte("GOEXPERIMENT=x\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"another go on PATH", func() {
			bin := t.TempDir()
			if err := os.WriteFile(filepath.Join(bin, "go"), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		}},
	}
	prev := base
	for _, s := range steps {
		s.change()
		if f := fp(); f == prev {
			t.Errorf("%s did not change the fingerprint", s.name)
		} else {
			prev = f
		}
	}
}
