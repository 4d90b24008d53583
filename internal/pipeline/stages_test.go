package pipeline

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRunAllStages builds every stage of testdata/stagesapp once: dev and
// prod (arm64) share one bootstrap, intel (x86_64) gets its own.
func TestRunAllStages(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	results, err := RunAll(context.Background(), Options{AppDir: "testdata/stagesapp", OutDir: out, AllStages: true, MergeTemplate: "testdata/stagesapp/merge.json"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range results {
		names = append(names, r.Stage.Name+"/"+r.Arch)
	}
	if !slices.Equal(names, []string{"dev/arm64", "intel/x86_64", "prod/arm64"}) {
		t.Fatalf("stages built: %v", names)
	}
	want := []string{"dev", "dev/deployment.zip", "dev/parameters.json", "dev/template.yaml",
		"intel", "intel/deployment.zip", "intel/parameters.json", "intel/template.yaml",
		"prod", "prod/deployment.zip", "prod/parameters.json", "prod/template.yaml"}
	if got := tree(t, out); !slices.Equal(got, want) {
		t.Errorf("out holds %v, want %v", got, want)
	}
	dev, intel, prod := results[0], results[1], results[2]
	if !bytes.Equal(readFile(t, dev.ZipPath), readFile(t, prod.ZipPath)) {
		t.Error("dev and prod (both arm64) have different zips")
	}
	if bootstrapMachine(t, intel.ZipPath) != elf.EM_X86_64 || bootstrapMachine(t, prod.ZipPath) != elf.EM_AARCH64 {
		t.Error("wrong bootstrap architectures")
	}
	for _, tc := range []struct {
		r    *Result
		want []string
	}{
		{dev, []string{"Greeting=hello dev"}},
		{prod, []string{"Greeting=hello prod"}},
	} {
		var got []string
		if err := json.Unmarshal(readFile(t, tc.r.ParametersPath), &got); err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: parameters.json %v (%v), want %v", tc.r.Stage.Name, got, err, tc.want)
		}
	}
	tmpl := string(readFile(t, prod.TemplatePath))
	for _, w := range []string{"Default: hello prod", "MemorySize: 512", "stage=prod", "\n  Greeting:\n    Value:\n      Ref: Greeting\n"} {
		if !strings.Contains(tmpl, w) {
			t.Errorf("prod template lacks %q:\n%s", w, tmpl)
		}
	}
	var b strings.Builder
	if err := prod.WriteSummary(&b); err != nil {
		t.Fatal(err)
	}
	wantCmd := "aws cloudformation deploy --template-file " + filepath.Join(prod.Dir, "packaged.yaml") +
		" --stack-name fake-prod --capabilities CAPABILITY_IAM --parameter-overrides file://" + prod.ParametersPath + "\n"
	if !strings.Contains(b.String(), wantCmd) {
		t.Errorf("summary lacks the deploy command %q:\n%s", wantCmd, b.String())
	}
}

func TestRunConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"unknown function", Options{AppDir: "testdata/unknownfn"},
			`.chalice/config.json:4:5: lambda_functions.add_number: the app has no function "add_number" (did you mean "add_numbers"?)`},
		{"unknown stage", Options{AppDir: "testdata/stagesapp", Stage: "staging"},
			`unknown stage "staging" (testdata/stagesapp/.chalice/config.json defines dev, intel, prod)`},
		{"missing merge template", Options{AppDir: "testdata/stagesapp", MergeTemplate: "testdata/nope.yaml"},
			"merge template: open testdata/nope.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.OutDir = filepath.Join(t.TempDir(), "out")
			_, err := Run(context.Background(), tc.opts)
			checkErr(t, err, []string{tc.want})
			if got := tree(t, tc.opts.OutDir); got != nil {
				t.Errorf("a failed build left %v", got)
			}
		})
	}
}
