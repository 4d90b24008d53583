package framework

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
)

// resourcesApp declares one resource of each kind and reads each from a
// function.
func resourcesApp() (*App, Table, Queue, Topic, Bucket) {
	app := New("res")
	users := app.Table("users", PartitionKey("username", S), SortKey("ts", N),
		GlobalIndex("by_email", PartitionKey("email", S)), TTLAttribute("expires"), TableStream(NewAndOldImages))
	jobs := app.Queue("jobs", VisibilityTimeout(60), DeadLetter(5))
	alerts := app.Topic("alerts")
	uploads := app.Bucket("uploads")
	app.OnSQSMessage("work", jobs, nop)
	app.OnSNSMessage("on_alert", alerts, nop)
	app.OnDynamoDBRecord("on_user", users, nop)
	return app, users, jobs, alerts, uploads
}

func TestResourcesManifest(t *testing.T) {
	app, _, _, _, _ := resourcesApp()
	m, err := app.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(struct {
		T []manifest.Table
		Q []manifest.Queue
		P []manifest.Topic
		B []manifest.Bucket
	}{m.Tables, m.Queues, m.Topics, m.Buckets})
	want := `{"T":[{"name":"users","partitionKey":{"name":"username","type":"S"},"sortKey":{"name":"ts","type":"N"},"globalIndexes":[{"name":"by_email","partitionKey":{"name":"email","type":"S"}}],"ttlAttribute":"expires","stream":"NEW_AND_OLD_IMAGES"}],` +
		`"Q":[{"name":"jobs","visibilityTimeout":60,"maxReceives":5}],"P":[{"name":"alerts"}],"B":[{"name":"uploads"}]}`
	if string(got) != want {
		t.Errorf("resources =\n  %s\nwant\n  %s", got, want)
	}
	evs := map[string]string{}
	for _, f := range m.Functions {
		b, _ := json.Marshal(f.Events)
		evs[f.Name] = string(b)
	}
	for name, want := range map[string]string{
		"work":     `[{"type":"sqs","sqs":{"queue":"jobs","declared":true}}]`,
		"on_alert": `[{"type":"sns","sns":{"topic":"alerts","declared":true}}]`,
		"on_user":  `[{"type":"dynamodb","stream":{"table":"users","startingPosition":"LATEST"}}]`,
	} {
		if evs[name] != want {
			t.Errorf("%s events = %s, want %s", name, evs[name], want)
		}
	}
	var vars []string
	for _, v := range m.ResourceVars() {
		vars = append(vars, v.Var)
	}
	wantVars := "GOCHALICE_BUCKET_UPLOADS_NAME GOCHALICE_BUCKET_UPLOADS_ARN GOCHALICE_QUEUE_JOBS_NAME GOCHALICE_QUEUE_JOBS_ARN GOCHALICE_QUEUE_JOBS_URL " +
		"GOCHALICE_TABLE_USERS_NAME GOCHALICE_TABLE_USERS_ARN GOCHALICE_TOPIC_ALERTS_NAME GOCHALICE_TOPIC_ALERTS_ARN"
	if strings.Join(vars, " ") != wantVars {
		t.Errorf("ResourceVars = %s\nwant %s", strings.Join(vars, " "), wantVars)
	}
}

func TestResourceRegistrationErrors(t *testing.T) {
	other := New("other")
	foreignQueue := other.Queue("elsewhere")
	tests := []struct {
		name    string
		reg     func(a *App)
		wantErr string
	}{
		{"no partition key", func(a *App) { a.Table("t") }, `table "t": no partition key`},
		{"two partition keys", func(a *App) { a.Table("t", PartitionKey("a", S), PartitionKey("b", S)) }, "two partition keys"},
		{"bad key type", func(a *App) { a.Table("t", PartitionKey("a", "X")) }, `type "X" is not framework.S, N or B`},
		{"index without partition key", func(a *App) { a.Table("t", PartitionKey("a", S), GlobalIndex("idx", SortKey("b", S))) }, "index idx: no partition key"},
		{"bad stream view", func(a *App) { a.Table("t", PartitionKey("a", S), TableStream("ALL")) }, `stream view "ALL"`},
		{"table twice", func(a *App) { a.Table("t", PartitionKey("a", S)); a.Table("t", PartitionKey("a", S)) }, `table "t": declared twice`},
		{"stream of a table without one", func(a *App) { a.OnDynamoDBRecord("f", a.Table("t", PartitionKey("a", S)), nop) }, `table "t" has no stream`},
		{"queue of another app", func(a *App) { a.OnSQSMessage("f", foreignQueue, nop) }, `queue "elsewhere" is not declared in this app`},
		{"visibility timeout", func(a *App) { a.Queue("q", VisibilityTimeout(50000)) }, "visibility timeout 50000 s"},
		{"dead letter", func(a *App) { a.Queue("q", DeadLetter(1001)) }, "max receives 1001"},
		{"bad topic name", func(a *App) { a.Topic("1t") }, `topic "1t": invalid name`},
		{"zero queue", func(a *App) { a.OnSQSMessage("f", Queue{}, nop) }, "neither a queue name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			app := New("x")
			tt.reg(app)
			_, err := app.Manifest()
			var re *RegistrationError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Manifest error = %v, want a RegistrationError containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestHandlesReadTheEnvironment(t *testing.T) {
	_, users, jobs, alerts, uploads := resourcesApp()
	tests := []struct {
		name string
		read func() (string, error)
		env  string
	}{
		{"table name", users.Name, "GOCHALICE_TABLE_USERS_NAME"},
		{"table arn", users.ARN, "GOCHALICE_TABLE_USERS_ARN"},
		{"queue url", jobs.URL, "GOCHALICE_QUEUE_JOBS_URL"},
		{"queue arn", jobs.ARN, "GOCHALICE_QUEUE_JOBS_ARN"},
		{"topic arn", alerts.ARN, "GOCHALICE_TOPIC_ALERTS_ARN"},
		{"bucket name", uploads.Name, "GOCHALICE_BUCKET_UPLOADS_NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(tt.env, "")
			_, err := tt.read()
			var missing *MissingResourceError
			if !errors.As(err, &missing) || missing.Var != tt.env || !strings.Contains(err.Error(), tt.env+" is not set") {
				t.Fatalf("without %s: err = %v, want a MissingResourceError naming it", tt.env, err)
			}
			t.Setenv(tt.env, "deployed-value")
			got, err := tt.read()
			if err != nil || got != "deployed-value" {
				t.Errorf("with %s set: %q, %v", tt.env, got, err)
			}
		})
	}
}

func TestExistingHandles(t *testing.T) {
	q := ExistingQueue("arn:aws:sqs:eu-west-1:123456789012:jobs")
	if u, err := q.URL(); err != nil || u != "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs" {
		t.Errorf("URL = %q, %v", u, err)
	}
	if n, _ := q.Name(); n != "jobs" {
		t.Errorf("Name = %q", n)
	}
	if _, err := ExistingTopic("alerts").ARN(); err == nil {
		t.Error("ARN of a topic given by name: want an error")
	}
	if _, err := (Table{}).Name(); err == nil || !strings.Contains(err.Error(), "zero table handle") {
		t.Errorf("zero table: %v", err)
	}
}

// A pool handle reads its ID and client ID from the variables the template
// sets; an existing pool's ID and region come from its ARN.
func TestUserPoolHandle(t *testing.T) {
	app := New("pools")
	players := app.UserPool("players", PasswordSignIn())
	if _, err := players.ClientID(); err == nil || !strings.Contains(err.Error(), "GOCHALICE_USERPOOL_PLAYERS_CLIENT_ID") {
		t.Errorf("ClientID without its variable: %v", err)
	}
	t.Setenv("GOCHALICE_USERPOOL_PLAYERS_ID", "us-east-1_Abc")
	t.Setenv("GOCHALICE_USERPOOL_PLAYERS_CLIENT_ID", "client1")
	t.Setenv("AWS_REGION", "eu-west-1")
	existing := ExistingUserPool("arn:aws:cognito-idp:eu-central-1:123456789012:userpool/eu-central-1_Xyz")
	tests := []struct {
		name      string
		got, want string
	}{
		{"ID", must(players.ID()), "us-east-1_Abc"},
		{"ClientID", must(players.ClientID()), "client1"},
		{"Endpoint", players.Endpoint(), "https://cognito-idp.eu-west-1.amazonaws.com/"},
		{"existing ID", must(existing.ID()), "eu-central-1_Xyz"},
		{"existing Endpoint", existing.Endpoint(), "https://cognito-idp.eu-central-1.amazonaws.com/"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	t.Setenv("GOCHALICE_USERPOOL_PLAYERS_ENDPOINT", "/_gochalice/cognito/players")
	if got := players.Endpoint(); got != "/_gochalice/cognito/players" {
		t.Errorf("Endpoint with its variable = %q", got)
	}
	m, err := app.Manifest()
	if err != nil {
		t.Fatal(err)
	}
	if p := m.UserPools[0]; !p.AppClient || !p.PasswordAuth {
		t.Errorf("PasswordSignIn gives %+v", p)
	}
}

func must(s string, err error) string {
	if err != nil {
		return "error: " + err.Error()
	}
	return s
}
