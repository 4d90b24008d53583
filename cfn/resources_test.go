package cfn

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

func builtWith(t *testing.T, m *manifest.Manifest, st stages.Stage, acc *Access) map[string]any {
	t.Helper()
	tpl, err := BuildWithAccess(m, st, acc)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	out, err := Marshal(tpl, "json")
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	var tree map[string]any
	if err := json.Unmarshal(out, &tree); err != nil {
		t.Fatal(err)
	}
	return tree
}

func resourcesManifest() *manifest.Manifest {
	return &manifest.Manifest{App: "a", FrameworkVersion: "0.1.0",
		Functions: []manifest.Function{
			lambdaFn("reader", manifest.Event{Type: manifest.EventSQS, SQS: &manifest.SQSEvent{Queue: "jobs", Declared: true}}),
			lambdaFn("writer"),
			lambdaFn("idle"),
		},
		Tables: []manifest.Table{{Name: "users", PartitionKey: manifest.KeyAttribute{Name: "id", Type: "S"}}},
		Queues: []manifest.Queue{{Name: "jobs", MaxReceives: 3}},
		Topics: []manifest.Topic{{Name: "alerts"}},
	}
}

func writerAccess(calls ...Call) *Access {
	return &Access{Functions: map[string]*FunctionAccess{
		"reader": {Complete: true},
		"writer": {Complete: true, Calls: calls, Uses: []Target{{Kind: "table", Name: "users", Declared: true}}},
		"idle":   {Complete: true},
	}}
}

func TestDeclaredResources(t *testing.T) {
	tests := []struct {
		name     string
		retain   bool
		policy   string
		timeout  int
		queueVis int
		wantErr  string
		wantVis  float64
	}{
		{name: "retained by default", retain: true, policy: "Retain", wantVis: 360},
		{name: "retain_data false", policy: "Delete", wantVis: 360},
		{name: "visibility follows the reader's timeout", retain: true, policy: "Retain", timeout: 120, wantVis: 720},
		{name: "explicit visibility", retain: true, policy: "Retain", queueVis: 90, wantVis: 90},
		{name: "visibility shorter than the reader's timeout", retain: true, queueVis: 30,
			wantErr: `queue "jobs": visibility timeout 30 s is shorter than the 60 s timeout of function reader`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := resourcesManifest()
			m.Queues[0].VisibilityTimeout = tt.queueVis
			st := devStage()
			st.NoRetain = !tt.retain
			if tt.timeout > 0 {
				st.Functions = map[string]stages.FunctionConfig{"reader": {Timeout: tt.timeout}}
			}
			if tt.wantErr != "" {
				_, err := BuildWithAccess(m, st, writerAccess())
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			tree := builtWith(t, m, st, writerAccess())
			for _, id := range []string{"UsersTable", "JobsQueue", "JobsDeadLetterQueue"} {
				for _, attr := range []string{"DeletionPolicy", "UpdateReplacePolicy"} {
					if got := dig(t, tree, "Resources", id, attr); got != tt.policy {
						t.Errorf("%s.%s = %v, want %s", id, attr, got, tt.policy)
					}
				}
			}
			if got := dig(t, tree, "Resources", "JobsQueue", "Properties", "VisibilityTimeout"); got != tt.wantVis {
				t.Errorf("visibility timeout %v, want %v", got, tt.wantVis)
			}
			if got := dig(t, tree, "Resources", "Reader", "Properties", "Events", "SQS", "Properties", "Queue"); !reflect.DeepEqual(got, getAtt("JobsQueue", "Arn")) {
				t.Errorf("reader's queue %v", got)
			}
			if got := dig(t, tree, "Resources", "UsersTable", "Properties", "BillingMode"); got != "PAY_PER_REQUEST" {
				t.Errorf("billing %v", got)
			}
			for _, out := range []string{"UsersTableName", "UsersTableArn", "JobsQueueUrl", "JobsQueueArn", "AlertsTopicArn"} {
				dig(t, tree, "Outputs", out)
			}
		})
	}
}

// Resource variables go only to the functions whose code reads the
// resource; without an analysis, to every function.
func TestResourceVariables(t *testing.T) {
	envOf := func(tree map[string]any, id string) []string {
		props := dig(t, tree, "Resources", id, "Properties").(map[string]any)
		env, _ := props["Environment"].(map[string]any)
		vars, _ := env["Variables"].(map[string]any)
		return keysOf(t, vars)
	}
	tree := builtWith(t, resourcesManifest(), devStage(), writerAccess())
	if got := envOf(tree, "Writer"); !reflect.DeepEqual(got, []string{"GOCHALICE_TABLE_USERS_ARN", "GOCHALICE_TABLE_USERS_NAME"}) { // Attr "": every attribute
		t.Errorf("writer's variables %v", got)
	}
	if got := envOf(tree, "Idle"); len(got) != 0 {
		t.Errorf("idle's variables %v, want none", got)
	}
	if got := dig(t, tree, "Resources", "Writer", "Properties", "Environment", "Variables", "GOCHALICE_TABLE_USERS_NAME"); !reflect.DeepEqual(got, ref("UsersTable")) {
		t.Errorf("table name variable %v", got)
	}
	// A use of one attribute sets that variable only.
	acc := writerAccess()
	acc.Functions["writer"].Uses[0].Attr = manifest.AttrName
	if got := envOf(builtWith(t, resourcesManifest(), devStage(), acc), "Writer"); !reflect.DeepEqual(got, []string{"GOCHALICE_TABLE_USERS_NAME"}) {
		t.Errorf("writer reading the name only gets %v", got)
	}
	all := builtWith(t, resourcesManifest(), devStage(), nil)
	if got := envOf(all, "Idle"); len(got) != 9-2 { // every variable but the bucket's (no bucket)
		t.Errorf("without analysis idle gets %v", got)
	}
}

// Each call becomes a statement scoped as the analysis found it.
func TestCodeStatements(t *testing.T) {
	tests := []struct {
		name string
		call Call
		want string // the statements as JSON
	}{
		{"declared table", Call{Actions: []string{"dynamodb:GetItem"}, Targets: []Target{{Kind: "table", Name: "users", Declared: true}}},
			`[{"Action":["dynamodb:GetItem"],"Effect":"Allow","Resource":[{"Fn::GetAtt":["UsersTable","Arn"]}]}]`},
		{"index", Call{Actions: []string{"dynamodb:Query"}, Index: true, Targets: []Target{{Kind: "table", Name: "users", Declared: true}}},
			`[{"Action":["dynamodb:Query"],"Effect":"Allow","Resource":[{"Fn::GetAtt":["UsersTable","Arn"]},{"Fn::Sub":"${UsersTable.Arn}/index/*"}]}]`},
		{"constant table", Call{Actions: []string{"dynamodb:PutItem"}, Targets: []Target{{Kind: "table", Name: "legacy"}}},
			`[{"Action":["dynamodb:PutItem"],"Effect":"Allow","Resource":[{"Fn::Sub":"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/legacy"}]}]`},
		{"bucket objects", Call{Actions: []string{"s3:GetObject"}, Object: true, Targets: []Target{{Kind: "bucket", Name: "uploads", Declared: true}}},
			`[{"Action":["s3:GetObject"],"Effect":"Allow","Resource":[{"Fn::Sub":"${UploadsBucket.Arn}/*"}]}]`},
		{"queue url constant", Call{Actions: []string{"sqs:SendMessage"}, Targets: []Target{{Kind: "queue", Name: "https://sqs.eu-west-1.amazonaws.com/123456789012/q"}}},
			`[{"Action":["sqs:SendMessage"],"Effect":"Allow","Resource":[{"Fn::Sub":"arn:${AWS::Partition}:sqs:eu-west-1:123456789012:q"}]}]`},
		{"topic", Call{Actions: []string{"sns:Publish"}, Targets: []Target{{Kind: "topic", Name: "alerts", Declared: true}}},
			`[{"Action":["sns:Publish"],"Effect":"Allow","Resource":[{"Ref":"AlertsTopic"}]}]`},
		{"unknown", Call{Actions: []string{"dynamodb:Scan"}},
			`[{"Action":["dynamodb:Scan"],"Effect":"Allow","Resource":"*"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := json.Marshal(codeStatements([]Call{tt.call}))
			if string(got) != tt.want {
				t.Errorf("statements\n  %s\nwant\n  %s", got, tt.want)
			}
		})
	}
	// Two calls on one resource share a statement; the unscoped one is
	// listed for the summary.
	calls := []Call{
		{Site: "a.go:1", Service: "dynamodb", Op: "GetItem", Actions: []string{"dynamodb:GetItem"}, Targets: []Target{{Kind: "table", Name: "users", Declared: true}}},
		{Site: "a.go:2", Service: "dynamodb", Op: "PutItem", Actions: []string{"dynamodb:PutItem"}, Targets: []Target{{Kind: "table", Name: "users", Declared: true}}},
		{Site: "b.go:9", Service: "dynamodb", Op: "Scan", Actions: []string{"dynamodb:Scan"}},
	}
	if n := len(codeStatements(calls)); n != 2 {
		t.Errorf("%d statements, want 2", n)
	}
	if got := Unscoped(writerAccess(calls...)); !reflect.DeepEqual(got, []string{"b.go:9: dynamodb.Scan → dynamodb:Scan on * (function writer)"}) {
		t.Errorf("Unscoped = %q", got)
	}
}

// A pool's ID and client ID reach the functions that read them, never a
// trigger of the pool (the pool's LambdaConfig needs the function first, so
// CloudFormation would see a cycle); PasswordSignIn adds the password flow.
func TestUserPoolVariables(t *testing.T) {
	m := &manifest.Manifest{App: "a", FrameworkVersion: "0.1.0",
		Functions: []manifest.Function{
			lambdaFn("page"),
			lambdaFn("confirm", manifest.Event{Type: manifest.EventCognito, Cognito: &manifest.CognitoEvent{Pool: "players", Trigger: "PreSignUp"}}),
		},
		UserPools: []manifest.UserPool{{Name: "players", AppClient: true, PasswordAuth: true}},
	}
	envOf := func(tree map[string]any, id string) map[string]any {
		env, _ := dig(t, tree, "Resources", id, "Properties").(map[string]any)["Environment"].(map[string]any)
		vars, _ := env["Variables"].(map[string]any)
		return vars
	}
	tests := []struct {
		name       string
		acc        *Access
		page, trig []string
	}{
		{"analysis", &Access{Functions: map[string]*FunctionAccess{
			"page":    {Complete: true, Uses: []Target{{Kind: manifest.ResourceUserPool, Name: "players", Declared: true, Attr: manifest.AttrClientID}}},
			"confirm": {Complete: true, Uses: []Target{{Kind: manifest.ResourceUserPool, Name: "players", Declared: true}}},
		}}, []string{"GOCHALICE_USERPOOL_PLAYERS_CLIENT_ID"}, nil},
		{"no analysis", nil, []string{"GOCHALICE_USERPOOL_PLAYERS_CLIENT_ID", "GOCHALICE_USERPOOL_PLAYERS_ID"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree := builtWith(t, m, devStage(), tt.acc)
			if got := keysOf(t, envOf(tree, "Page")); !reflect.DeepEqual(got, tt.page) {
				t.Errorf("page's variables %v, want %v", got, tt.page)
			}
			if got := keysOf(t, envOf(tree, "Confirm")); len(got) != len(tt.trig) {
				t.Errorf("the trigger's variables %v, want none", got)
			}
			if got := envOf(tree, "Page")["GOCHALICE_USERPOOL_PLAYERS_CLIENT_ID"]; !reflect.DeepEqual(got, ref("PlayersUserPoolClient")) {
				t.Errorf("client ID variable %v", got)
			}
		})
	}
	flows := dig(t, builtWith(t, m, devStage(), nil), "Resources", "PlayersUserPoolClient", "Properties", "ExplicitAuthFlows")
	if !reflect.DeepEqual(flows, []any{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}) {
		t.Errorf("flows %v", flows)
	}
}
