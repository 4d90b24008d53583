package iamgen

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/gochalice/gochalice/internal/testtool"
)

// iamActions reads the IAM actions cfn-lint ships
// (cfnlint/data/AdditionalSpecs/Policies.json): service prefix → the
// lower-cased action names.
func iamActions(t *testing.T) map[string]map[string]bool {
	t.Helper()
	testtool.Require(t, "cfn-lint", "pip install cfn-lint==1.53.3")
	py := testtool.Require(t, "python3", "install Python 3")
	out, err := exec.Command(py, "-c", "import cfnlint,os;print(os.path.dirname(cfnlint.__file__))").Output()
	if err != nil {
		testtool.Missing(t, "cfn-lint's Python package cannot be imported by python3: "+err.Error())
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "data", "AdditionalSpecs", "Policies.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]struct {
		Actions map[string]json.RawMessage
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	known := map[string]map[string]bool{}
	for svc, v := range doc {
		known[svc] = map[string]bool{}
		for a := range v.Actions {
			known[svc][a] = true
		}
	}
	return known
}

func checkAction(t *testing.T, known map[string]map[string]bool, action, why string) {
	t.Helper()
	svc, name, ok := strings.Cut(action, ":")
	if !ok || !known[svc][strings.ToLower(name)] {
		t.Errorf("%s: %q is not an IAM action", why, action)
	}
}

// Every action the table names is a real IAM action.
func TestTableActionsExist(t *testing.T) {
	known := iamActions(t)
	for _, a := range TableActions() {
		checkAction(t, known, a, "table")
	}
}

// Every operation of the clients this module links maps to real IAM
// actions: the default rule and the exceptions together.
func TestEveryClientOperationMaps(t *testing.T) {
	known := iamActions(t)
	clients := map[string]any{"dynamodb": &dynamodb.Client{}, "s3": &s3.Client{}, "sqs": &sqs.Client{}, "sns": &sns.Client{}}
	// Options is not an operation. The others are newer than the IAM data
	// cfn-lint 1.53.3 ships; their actions follow the default rule.
	skip := []string{"Options", "CancelBulkOperation", "DescribeBulkOperation", "ListBulkOperations", "SearchVectors", "StartBulkPutItems"}
	for svc, c := range clients {
		typ := reflect.TypeOf(c)
		for i := range typ.NumMethod() {
			op := typ.Method(i).Name
			if slices.Contains(skip, op) {
				continue
			}
			actions, ok := ActionsFor(svc, op)
			if !ok {
				t.Fatalf("service %s is not in the table", svc)
			}
			for _, a := range actions {
				checkAction(t, known, a, svc+"."+op)
			}
		}
	}
}
