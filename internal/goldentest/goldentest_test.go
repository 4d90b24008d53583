package goldentest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name, want, got string
		has             []string
	}{
		{"same", "a\nb\n", "a\nb\n", nil},
		{"changed line", "a\nb\nc\n", "a\nx\nc\n", []string{"@@ want line 1, got line 1 @@", "- b", "+ x", "  a", "  c"}},
		{"added line", "a\n", "a\nb\n", []string{"+ b"}},
		{"removed line", "a\nb\n", "a\n", []string{"- b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Diff(tt.want, tt.got)
			if tt.has == nil && d != "" {
				t.Errorf("Diff of equal texts = %q", d)
			}
			for _, h := range tt.has {
				if !strings.Contains(d, h) {
					t.Errorf("Diff = %q, want it to contain %q", d, h)
				}
			}
		})
	}
}

// fakeT records failures instead of failing the real test.
type fakeT struct {
	testing.TB
	failed bool
	msg    string
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, args ...any) {
	f.failed = true
	f.msg = format
}
func (f *fakeT) Fatalf(format string, args ...any) { f.Errorf(format, args...) }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "golden.txt")
	if err := os.WriteFile(path, []byte("want\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ft := &fakeT{TB: t}
	Check(ft, path, []byte("want\n"), "regen")
	if ft.failed {
		t.Errorf("Check failed on equal content: %s", ft.msg)
	}
	ft = &fakeT{TB: t}
	Check(ft, path, []byte("got\n"), "regen")
	if !ft.failed {
		t.Error("Check passed on different content")
	}
	ft = &fakeT{TB: t}
	Check(ft, filepath.Join(t.TempDir(), "missing.txt"), []byte("x"), "regen")
	if !ft.failed {
		t.Error("Check passed without a golden file")
	}
}

func TestLintRejectsABrokenTemplate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.yaml")
	bad := "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      NoSuchProperty: 1\n"
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	ft := &fakeT{TB: t}
	Lint(ft, path)
	if !ft.failed {
		t.Error("Lint passed a template with an unknown property")
	}
}

func TestVersionMismatch(t *testing.T) {
	for _, tc := range []struct {
		got     string
		wantErr bool
	}{
		{CFNLintVersion, false},
		{"1.54.0", true},
		{"", true},
	} {
		err := versionMismatch(tc.got)
		if (err != nil) != tc.wantErr {
			t.Errorf("versionMismatch(%q) = %v, want error %v", tc.got, err, tc.wantErr)
		}
		if err != nil && !strings.Contains(err.Error(), "pip install cfn-lint=="+CFNLintVersion) {
			t.Errorf("versionMismatch(%q) = %v, want the install command", tc.got, err)
		}
	}
}
