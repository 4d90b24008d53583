package cfn

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/stages"
)

func lambdaFn(name string, evs ...manifest.Event) manifest.Function {
	return manifest.Function{Name: name, Handler: name, Kind: manifest.KindLambda, Events: evs}
}

func sqsEv(queue string) manifest.Event {
	return manifest.Event{Type: manifest.EventSQS, SQS: &manifest.SQSEvent{Queue: queue}}
}

func s3Ev(bucket, prefix, suffix string, types ...string) manifest.Event {
	return manifest.Event{Type: manifest.EventS3, S3: &manifest.S3Event{Bucket: bucket, Prefix: prefix, Suffix: suffix, Events: types}}
}

func cognitoEv(pool, trigger string) manifest.Event {
	return manifest.Event{Type: manifest.EventCognito, Cognito: &manifest.CognitoEvent{Pool: pool, Trigger: trigger}}
}

func TestEventSourceBuildErrors(t *testing.T) {
	tests := []struct {
		name    string
		m       manifest.Manifest
		wantErr string
	}{
		{
			name:    "pool ID taken by a function",
			m:       manifest.Manifest{Functions: []manifest.Function{lambdaFn("users_user_pool")}, UserPools: []manifest.UserPool{{Name: "users"}}},
			wantErr: `user pool "users" maps to logical ID "UsersUserPool", which function "users_user_pool" already uses`,
		},
		{
			name:    "bucket ID taken by a function",
			m:       manifest.Manifest{Functions: []manifest.Function{lambdaFn("uploads-bucket")}, Buckets: []manifest.Bucket{{Name: "uploads"}}},
			wantErr: `bucket "uploads" maps to logical ID "UploadsBucket", which function "uploads-bucket" already uses`,
		},
		{
			name:    "undeclared pool",
			m:       manifest.Manifest{Functions: []manifest.Function{lambdaFn("f", cognitoEv("users", "PreSignUp"))}},
			wantErr: `function "f": user pool "users" is not declared`,
		},
		{
			name: "trigger twice on one pool",
			m: manifest.Manifest{Functions: []manifest.Function{lambdaFn("f", cognitoEv("users", "PreSignUp")), lambdaFn("g", cognitoEv("users", "PreSignUp"))},
				UserPools: []manifest.UserPool{{Name: "users"}}},
			wantErr: `user pool "users" already has a PreSignUp trigger`,
		},
		{
			name:    "unknown trigger",
			m:       manifest.Manifest{Functions: []manifest.Function{lambdaFn("f", cognitoEv("users", "PreSignup"))}, UserPools: []manifest.UserPool{{Name: "users"}}},
			wantErr: `unknown Cognito trigger "PreSignup"`,
		},
		{
			name: "overlapping S3 notifications",
			m: manifest.Manifest{Functions: []manifest.Function{
				lambdaFn("a", s3Ev("uploads", "images/", "", "s3:ObjectCreated:*")),
				lambdaFn("b", s3Ev("uploads", "images/raw/", ".png", "s3:ObjectCreated:Put")),
			}, Buckets: []manifest.Bucket{{Name: "uploads"}}},
			wantErr: `bucket "uploads": the S3 sources of functions "a" and "b" overlap`,
		},
		{
			name:    "undeclared bucket",
			m:       manifest.Manifest{Functions: []manifest.Function{lambdaFn("a", s3Ev("uploads", "", "", "s3:ObjectCreated:*"))}},
			wantErr: `bucket "uploads" is not declared`,
		},
		{
			name:    "websocket ID taken",
			m:       manifest.Manifest{Functions: []manifest.Function{lambdaFn("WebsocketAPI"), lambdaFn("websocket_connect", manifest.Event{Type: manifest.EventWebSocket, WebSocket: &manifest.WebSocketEvent{Route: "$connect"}})}},
			wantErr: `the WebSocket API needs logical ID "WebsocketAPI", which function "WebsocketAPI" already uses`,
		},
		{
			name:    "unknown event type",
			m:       manifest.Manifest{Functions: []manifest.Function{lambdaFn("f", manifest.Event{Type: "carrier-pigeon"})}},
			wantErr: `function "f": unknown event source type "carrier-pigeon"`,
		},
		{
			name:    "event without settings",
			m:       manifest.Manifest{Functions: []manifest.Function{lambdaFn("f", manifest.Event{Type: manifest.EventSQS})}},
			wantErr: `function "f": SQS event without settings`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.m
			m.SchemaVersion, m.App, m.FrameworkVersion = 1, "x", "0.1.0"
			_, err := Build(&m, devStage())
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Build error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestS3NotificationsThatDoNotOverlap(t *testing.T) {
	m := &manifest.Manifest{SchemaVersion: 1, App: "x", FrameworkVersion: "0.1.0",
		Functions: []manifest.Function{
			lambdaFn("a", s3Ev("uploads", "images/", "", "s3:ObjectCreated:*")),
			lambdaFn("b", s3Ev("uploads", "docs/", "", "s3:ObjectCreated:*")),
			lambdaFn("c", s3Ev("uploads", "images/", "", "s3:ObjectRemoved:*")),
		},
		Buckets: []manifest.Bucket{{Name: "uploads"}},
	}
	tree := built(t, m, devStage())
	for _, id := range []string{"A", "B", "C"} {
		if got := dig(t, tree, "Resources", id, "Properties", "Events", "S3", "Properties", "Bucket"); !reflect.DeepEqual(got, map[string]any{"Ref": "UploadsBucket"}) {
			t.Errorf("%s's bucket = %v", id, got)
		}
	}
}

// TestTwoSourcesOfOneType checks the keys of repeated sources and the role
// statement listing both queues.
func TestTwoSourcesOfOneType(t *testing.T) {
	m := &manifest.Manifest{SchemaVersion: 1, App: "x", FrameworkVersion: "0.1.0",
		Functions: []manifest.Function{lambdaFn("f", sqsEv("a"), sqsEv("arn:aws:sqs:us-east-1:123456789012:b"))},
	}
	tree := built(t, m, devStage())
	if got := keysOf(t, dig(t, tree, "Resources", "F", "Properties", "Events")); !reflect.DeepEqual(got, []string{"SQS", "SQS2"}) {
		t.Errorf("event keys = %v", got)
	}
	stmts := dig(t, tree, "Resources", "FRole", "Properties", "Policies").([]any)[0].(map[string]any)["PolicyDocument"].(map[string]any)["Statement"].([]any)
	got, _ := json.Marshal(stmts[len(stmts)-1].(map[string]any)["Resource"])
	want := `[{"Fn::Sub":"arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:a"},"arn:aws:sqs:us-east-1:123456789012:b"]`
	if string(got) != want {
		t.Errorf("queue statement resources = %s, want %s", got, want)
	}
}

func TestDeclaredResourceLogicalIDs(t *testing.T) {
	tests := []struct{ got, want string }{
		{UserPoolLogicalID("users"), "UsersUserPool"},
		{UserPoolLogicalID("quiz-players"), "QuizPlayersUserPool"},
		{BucketLogicalID("uploads"), "UploadsBucket"},
		{BucketLogicalID("raw_images"), "RawImagesBucket"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestOneFunctionModel(t *testing.T) {
	m := &manifest.Manifest{SchemaVersion: 1, App: "x", FrameworkVersion: "0.1.0",
		Functions: []manifest.Function{lambdaFn("plain"), lambdaFn("fed", sqsEv("q"))}}
	ids, err := assignIDs(m.Functions)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := Build(m, devStage())
	if err != nil {
		t.Fatal(err)
	}
	b := &builder{m: m, ids: ids, t: tpl.cfn}
	for _, id := range []string{"Plain", "Fed"} {
		if f, ok := b.serverlessFunction(id); !ok || f.Handler == nil {
			t.Errorf("serverlessFunction(%s) = %v, %v", id, f, ok)
		}
	}
	for id, wantEvents := range map[string]bool{"Plain": false, "Fed": true} {
		f, ok := b.t.Resources[id].(*samFunction)
		if !ok || (f.Events != nil) != wantEvents {
			t.Errorf("%s is a %T with events %v; want one *samFunction, events %v", id, b.t.Resources[id], f, wantEvents)
		}
	}
	if _, ok := b.serverlessFunction("DefaultRole"); ok {
		t.Error("serverlessFunction(DefaultRole) reported a function")
	}
}

func TestWebSocketDomainErrors(t *testing.T) {
	m := &manifest.Manifest{SchemaVersion: 1, App: "chat", FrameworkVersion: "0.1.0", Functions: []manifest.Function{
		lambdaFn("websocket_connect", manifest.Event{Type: manifest.EventWebSocket, WebSocket: &manifest.WebSocketEvent{Route: "$connect"}}),
	}}
	const cert = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	for _, tc := range []struct {
		d    stages.CustomDomain
		want string
	}{
		{stages.CustomDomain{DomainName: "ws.example.com", CertificateARN: "cert"}, `websocket_api_custom_domain ws.example.com: certificate_arn "cert" is not an ACM certificate ARN`},
		{stages.CustomDomain{DomainName: "ws.example.com", CertificateARN: cert, TLSVersion: "TLS_1_3"}, `websocket_api_custom_domain ws.example.com: tls_version "TLS_1_3": want TLS_1_0 or TLS_1_2`},
		{stages.CustomDomain{CertificateARN: cert}, `websocket_api_custom_domain: domain_name is empty`},
		{stages.CustomDomain{DomainName: "ws.example.com", CertificateARN: cert}, ""},
	} {
		st := devStage()
		st.WebsocketCustomDomain = &tc.d
		_, err := Build(m, st)
		if (tc.want == "" && err != nil) || (tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want))) {
			t.Errorf("Build with %+v: error %v, want %q", tc.d, err, tc.want)
		}
	}
}
