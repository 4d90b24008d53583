package chalicetest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/gochalice/gochalice/framework"
)

func testApp() *framework.App {
	app := framework.New("ct")
	app.Route("/greet/{name}", func(r *framework.Request) (any, error) {
		out := map[string]string{"greeting": os.Getenv("GREETING") + " " + r.PathParam("name")}
		if ev := r.EventV2(); ev != nil {
			out["stage"], out["payload"] = ev.RequestContext.Stage, ev.Version
		} else {
			out["stage"], out["payload"] = r.Event().RequestContext.Stage, "1.0"
		}
		return out, nil
	})
	app.Route("/items", func(r *framework.Request) (any, error) {
		var in map[string]any
		if err := r.DecodeJSON(&in); err != nil {
			return nil, err
		}
		return &framework.Response{StatusCode: 201, Body: in}, nil
	}, framework.Methods("POST", "PUT", "PATCH"))
	app.Route("/items/{id}", func(r *framework.Request) (any, error) { return r.Method + " " + r.PathParam("id"), nil }, framework.Methods("DELETE"))
	app.Route("/slow", func(r *framework.Request) (any, error) {
		<-r.Context().Done()
		return "late", nil
	})
	app.OnSQSMessage("on_job", framework.ExistingQueue("jobs"), func(ctx context.Context, ev events.SQSEvent) error {
		for _, m := range ev.Records {
			if m.Body == "fail" {
				return framework.BadRequest("cannot do " + m.Body)
			}
		}
		return nil
	})
	app.LambdaFunction("count", func(ev events.SQSEvent) (int, error) { return len(ev.Records), nil })
	return app
}

func TestClientStages(t *testing.T) {
	for _, c := range []struct {
		stage, greeting, apiStage, payload string
		unknown                            string // the answer to an unknown route
	}{
		{"dev", "hello gopher", "api", "1.0", `403 {"message":"Missing Authentication Token"}`},
		{"prod", "bonjour gopher", "v1", "1.0", `403 {"message":"Missing Authentication Token"}`},
		{"edge", "hello gopher", "v2", "2.0", `404 {"message":"Not Found"}`},
	} {
		t.Run(c.stage, func(t *testing.T) {
			cl := New(t, testApp(), Stage(c.stage), ConfigDir("testdata/app"))
			res := cl.Get("/greet/gopher")
			var got map[string]string
			if err := res.JSON(&got); err != nil || res.StatusCode != 200 {
				t.Fatalf("GET = %s (%v)", res, err)
			}
			if got["greeting"] != c.greeting || got["stage"] != c.apiStage || got["payload"] != c.payload {
				t.Errorf("got %v, want greeting %q in stage %q, payload %s", got, c.greeting, c.apiStage, c.payload)
			}
			if res := cl.Get("/nope"); res.String() != c.unknown {
				t.Errorf("GET /nope = %s, want %s", res, c.unknown)
			}
		})
	}
}

func TestClientMethods(t *testing.T) {
	c := New(t, testApp(), ConfigDir("testdata/app"))
	for _, tc := range []struct {
		name string
		res  *Response
		want string
		code int
	}{
		{"post JSON", c.Post("/items", map[string]int{"a": 1}), `{"a":1}`, 201},
		{"put raw", c.Put("/items", `{"b":2}`), `{"b":2}`, 201},
		{"patch bytes", c.Patch("/items", []byte(`{"c":3}`), "Content-Type", "application/json"), `{"c":3}`, 201},
		{"delete", c.Delete("/items/9"), `DELETE 9`, 200},
		{"bad JSON", c.Post("/items", "{"), `{"Code":"BadRequestError","Message":"Error Parsing JSON"}`, 400},
		{"gateway 403", c.Get("/nope"), `{"message":"Missing Authentication Token"}`, 403},
		{"Do", c.Do(httptest.NewRequest("GET", "/greet/x", nil)), `{"greeting":"hello x","payload":"1.0","stage":"api"}`, 200},
	} {
		if tc.res.StatusCode != tc.code || string(tc.res.Body) != tc.want {
			t.Errorf("%s = %s, want %d %s", tc.name, tc.res, tc.code, tc.want)
		}
	}
}

func TestClientTimeout(t *testing.T) {
	c := New(t, testApp(), Stage("prod"), ConfigDir("testdata/app"))
	start := time.Now()
	if res := c.Get("/slow"); res.StatusCode != 504 {
		t.Errorf("GET /slow = %s, want 504 after the stage's 1 s timeout", res)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestClientInvoke(t *testing.T) {
	c := New(t, testApp(), ConfigDir("testdata/app"))
	if out, err := c.Invoke("on_job", SQSEvent("a", "b")); err != nil || string(out) != "null" {
		t.Errorf("on_job = %s, %v", out, err)
	}
	if _, err := c.Invoke("on_job", SQSEvent("fail")); err == nil || !strings.Contains(err.Error(), "cannot do fail") {
		t.Errorf("on_job(fail) error = %v", err)
	}
	if out, err := c.Invoke("count", json.RawMessage(`{"Records":[{},{},{}]}`)); err != nil || string(out) != "3" {
		t.Errorf("count = %s, %v", out, err)
	}
	if _, err := c.Invoke("nope", nil); err == nil || !strings.Contains(err.Error(), `unknown handler "nope"`) {
		t.Errorf("unknown function error = %v", err)
	}
}

func TestClientIsHandler(t *testing.T) {
	srv := httptest.NewServer(New(t, testApp(), ConfigDir("testdata/app")))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/greet/net")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 || string(b) != `{"greeting":"hello net","payload":"1.0","stage":"api"}` {
		t.Errorf("GET over HTTP = %d %s", res.StatusCode, b)
	}
}

func TestClientErrors(t *testing.T) {
	bad := framework.New("bad")
	bad.Route("x", nil)
	for _, c := range []struct {
		name string
		app  *framework.App
		opts []Option
		want string
	}{
		{"unknown stage", testApp(), []Option{Stage("qa"), ConfigDir("testdata/app")}, `unknown stage "qa"`},
		{"registration errors", bad, nil, "registration error"},
	} {
		if _, _, err := newClient(t, c.app, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error = %v, want %q", c.name, err, c.want)
		}
	}
}

// An http stage: the JWT authorizer checks issuer and audience from the
// stage's parameters, scopes are 403, claims reach r.Claims().
func TestClientHTTPStageJWT(t *testing.T) {
	app := framework.New("ct")
	app.CognitoAuthorizer("users", framework.ProviderARNParameter("PoolArn"), framework.AudienceParameter("ClientId"))
	app.Route("/me", func(r *framework.Request) (any, error) { return r.Claims()["sub"], nil }, framework.WithAuthorizer("users", "profile/read"))
	c := New(t, app, Stage("edge"), ConfigDir("testdata/app"))
	iss := "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Edge12345"
	tok := func(iss, aud, scope string) string {
		return CognitoToken(map[string]any{"sub": "u1", "iss": iss, "aud": aud, "scope": scope})
	}
	for _, tc := range []struct {
		name, tok, want string
	}{
		{"valid", tok(iss, "edge-client", "profile/read"), `200 u1`},
		{"other issuer", tok("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other", "edge-client", "profile/read"), `401 {"message":"Unauthorized"}`},
		{"other audience", tok(iss, "other-client", "profile/read"), `401 {"message":"Unauthorized"}`},
		{"scope missing", tok(iss, "edge-client", "email"), `403 {"message":"Forbidden"}`},
		{"no token", "", `401 {"message":"Unauthorized"}`},
	} {
		var res *Response
		if tc.tok == "" {
			res = c.Get("/me")
		} else {
			res = c.Get("/me", "Authorization", tc.tok)
		}
		if res.String() != tc.want {
			t.Errorf("%s: GET /me = %s, want %s", tc.name, res, tc.want)
		}
	}
}
