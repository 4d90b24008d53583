package build

import (
	"bytes"
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// hereArch is the Lambda architecture whose bootstrap runs on this machine,
// or "" when none does (not Linux, or another GOARCH).
func hereArch() string {
	for arch := range goarch {
		if RunsHere(arch) {
			return arch
		}
	}
	return ""
}

func TestRunsHere(t *testing.T) {
	for _, arch := range []string{"arm64", "x86_64", "riscv64", ""} {
		want := runtime.GOOS == "linux" && goarch[arch] != "" && goarch[arch] == runtime.GOARCH
		if got := RunsHere(arch); got != want {
			t.Errorf("RunsHere(%q) = %v, want %v on %s/%s", arch, got, want, runtime.GOOS, runtime.GOARCH)
		}
	}
}

// TestBootstrapZipManifest checks the manifest read from the bootstrap: the
// same zip as BootstrapZip, no host binary linked, and an edit always picked
// up by both the manifest and the zip.
func TestBootstrapZipManifest(t *testing.T) {
	arch := hereArch()
	if arch == "" {
		t.Skipf("no Lambda architecture runs on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	cache := t.TempDir()
	t.Setenv(EnvCacheDir, cache)
	app := t.TempDir()
	ctx := context.Background()

	build := func(want string) []byte {
		t.Helper()
		zp := filepath.Join(t.TempDir(), "deployment.zip")
		m, size, err := BootstrapZipManifest(ctx, app, arch, zp)
		if err != nil {
			t.Fatal(err)
		}
		if m.App != want {
			t.Fatalf("manifest app = %q, want %q (a stale bootstrap?)", m.App, want)
		}
		zip := readAll(t, zp)
		if int64(len(zip)) != size {
			t.Errorf("size = %d, the zip has %d bytes", size, len(zip))
		}
		return zip
	}
	cacheApp(t, app, "one")
	zip1 := build("one")
	if matches, _ := filepath.Glob(filepath.Join(cache, "*", "app-host")); len(matches) != 0 {
		t.Errorf("a host binary was linked: %v", matches)
	}
	zp := filepath.Join(t.TempDir(), "deployment.zip")
	if _, err := BootstrapZip(ctx, app, arch, zp); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(readAll(t, zp), zip1) {
		t.Error("BootstrapZip and BootstrapZipManifest give different zips")
	}
	if !bytes.Equal(build("one"), zip1) {
		t.Error("two builds of the same app give different zips")
	}

	cacheApp(t, app, "two")
	if bytes.Equal(build("two"), zip1) {
		t.Error("the zip did not change after an edit")
	}
}

func TestBootstrapZipManifestErrors(t *testing.T) {
	arch := hereArch()
	if arch == "" {
		t.Skipf("no Lambda architecture runs on %s/%s", runtime.GOOS, runtime.GOARCH)
	}
	t.Setenv(EnvCacheDir, t.TempDir())
	other := "arm64"
	if arch == "arm64" {
		other = "x86_64"
	}
	tests := []struct {
		name, dir, arch string
		want            []string
	}{
		{"other arch", "testdata/fakeapp", other, []string{"a bootstrap for " + other + " does not run on linux/"}},
		{"compile error", "testdata/compileerr", arch, []string{"building testdata/compileerr for linux/" + runtime.GOARCH + ": exit status 1\n", "undefined: nosuchfunction"}},
		{"registration errors", "testdata/regerr", arch, []string{"app in testdata/regerr has registration errors:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := BootstrapZipManifest(context.Background(), tc.dir, tc.arch, filepath.Join(t.TempDir(), "d.zip"))
			if err == nil {
				t.Fatal("BootstrapZipManifest succeeded")
			}
			rest := err.Error()
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error does not contain %q (in order):\n%v", w, err)
				}
				rest = rest[i+len(w):]
			}
		})
	}
}
