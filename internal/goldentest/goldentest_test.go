package goldentest

import (
	"fmt"
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
	f.msg = fmt.Sprintf(format, args...)
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

// TestCheckReviewsTemplates: a changed template's failure message gives
// the semantic review before the line diff; other files get the diff only.
func TestCheckReviewsTemplates(t *testing.T) {
	dir := t.TempDir()
	tpl := "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      MemorySize: %d\n"
	tests := []struct {
		name       string
		file       string
		want, got  string
		review     bool
		reviewLine string
	}{
		{"template", "template.yaml", fmt.Sprintf(tpl, 128), fmt.Sprintf(tpl, 512), true, "info    function Fn: memory 128 MB → 512 MB"},
		{"not a template", "notes.yaml", "a: 1\n", "a: 2\n", false, ""},
		{"text file", "out.txt", fmt.Sprintf(tpl, 128), fmt.Sprintf(tpl, 512), false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.file)
			if err := os.WriteFile(path, []byte(tc.want), 0o644); err != nil {
				t.Fatal(err)
			}
			ft := &fakeT{TB: t}
			Check(ft, path, []byte(tc.got), "regen")
			if !ft.failed {
				t.Fatal("Check passed on different content")
			}
			r, d := strings.Index(ft.msg, "What changed:"), strings.Index(ft.msg, "Line diff")
			if d < 0 {
				t.Fatalf("no line diff in:\n%s", ft.msg)
			}
			if (r >= 0) != tc.review {
				t.Fatalf("review shown: %v, want %v:\n%s", r >= 0, tc.review, ft.msg)
			}
			if tc.review && (r > d || !strings.Contains(ft.msg, tc.reviewLine)) {
				t.Errorf("want the review (with %q) before the diff:\n%s", tc.reviewLine, ft.msg)
			}
		})
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
