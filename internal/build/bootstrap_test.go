package build

import (
	"bytes"
	"context"
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBootstrap(t *testing.T) {
	tests := []struct {
		arch    string
		machine elf.Machine
	}{
		{"arm64", elf.EM_AARCH64},
		{"x86_64", elf.EM_X86_64},
	}
	// A GOOS, GOARCH or CGO_ENABLED in the caller's environment is overridden.
	t.Setenv("GOOS", "windows")
	t.Setenv("GOARCH", "386")
	t.Setenv("CGO_ENABLED", "1")
	for _, tc := range tests {
		t.Run(tc.arch, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a", "bootstrap"), filepath.Join(dir, "b", "bootstrap")
			for _, out := range []string{a, b} {
				if err := Bootstrap(context.Background(), "testdata/fakeapp", tc.arch, out); err != nil {
					t.Fatal(err)
				}
			}
			f, err := elf.Open(a)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if f.Machine != tc.machine || f.OSABI != elf.ELFOSABI_NONE && f.OSABI != elf.ELFOSABI_LINUX {
				t.Errorf("machine %v, OS ABI %v; want %v, Linux", f.Machine, f.OSABI, tc.machine)
			}
			for _, p := range f.Progs {
				if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
					t.Errorf("bootstrap is dynamically linked (%v)", p.Type)
				}
			}
			if f.Section(".symtab") != nil {
				t.Error("bootstrap has a symbol table; want it stripped (-s -w)")
			}
			fi, err := os.Stat(a)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode().Perm()&0o100 == 0 {
				t.Errorf("bootstrap mode %v is not executable", fi.Mode())
			}
			if !bytes.Equal(readAll(t, a), readAll(t, b)) {
				t.Error("two builds of the same app differ")
			}
			if bytes.Contains(readAll(t, a), []byte(mustAbs(t, "testdata/fakeapp"))) {
				t.Error("bootstrap contains the app's absolute path; want -trimpath")
			}
		})
	}
}

func TestBootstrapErrors(t *testing.T) {
	tests := []struct {
		name, dir, arch string
		want            []string
	}{
		{"unknown arch", "testdata/fakeapp", "amd64", []string{`unknown architecture "amd64" (want one of: arm64, x86_64)`}},
		{"compile error", "testdata/compileerr", "arm64", []string{"building testdata/compileerr for linux/arm64: exit status 1\n", "undefined: nosuchfunction"}},
		{"not main", "testdata/notmain", "arm64", []string{"not a main package"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "bootstrap")
			err := Bootstrap(context.Background(), tc.dir, tc.arch, out)
			if err == nil {
				t.Fatal("Bootstrap succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("a failed build left a bootstrap behind")
			}
		})
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
