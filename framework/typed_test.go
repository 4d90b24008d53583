package framework

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gochalice/gochalice/framework/manifest"
)

type newTodo struct {
	Title string     `json:"title"`
	Tags  []string   `json:"tags,omitempty"`
	Due   *string    `json:"due"`
	Owner todoPerson `json:"owner"`
	Items []todoItem `json:"items,omitempty"`
}

type todoPerson struct {
	Name string `json:"name"`
}

type todoItem struct {
	Text string `json:"text"`
	Done bool   `json:"done"`
}

func (n newTodo) Validate() error {
	switch {
	case strings.TrimSpace(n.Title) == "":
		return errors.New("title must not be blank")
	case n.Title == "conflict":
		return Conflict("a todo with this title exists")
	}
	return nil
}

type todo struct {
	ID    int    `json:"id"`
	Title string `json:"title"`
}

func createTodo(r *Request, in newTodo) (todo, error) {
	if in.Title == "boom" {
		return todo{}, errors.New("database down")
	}
	return todo{ID: 7, Title: in.Title + " by " + in.Owner.Name}, nil
}

func getTodo(r *Request, _ NoBody) (*todo, error) {
	if r.PathParam("id") != "7" {
		return nil, NotFound("no todo " + r.PathParam("id"))
	}
	return &todo{ID: 7, Title: "seven"}, nil
}

func typedApp(t testing.TB) *App {
	app := New("typed")
	captureLog(app)
	TypedRoute(app, "/todos", createTodo, Methods("POST"), Doc("Create a todo", "Adds a todo for its owner."))
	TypedRoute(app, "/todos/{id}", getTodo, QueryParam("fields", "the fields to return"))
	TypedRoute(app, "/text", func(r *Request, _ NoBody) (string, error) { return "a \"quote\"", nil })
	TypedRoute(app, "/bytes", func(r *Request, _ NoBody) ([]byte, error) { return []byte{0xff, 0}, nil })
	app.Route("/plain", func(r *Request) (any, error) { return "plain", nil }, Methods("POST"))
	if err := app.err(); err != nil {
		t.Fatal(err)
	}
	return app
}

func TestTypedRoute(t *testing.T) {
	app := typedApp(t)
	const owner = `"owner":{"name":"ann"}`
	tests := []struct {
		name   string
		method string
		path   string
		body   string
		status int
		want   string
	}{
		{"typed call", "POST", "/todos", `{"title":"milk",` + owner + `}`, 200, `{"id":7,"title":"milk by ann"}`},
		{"optional fields may be sent", "POST", "/todos", `{"title":"milk","tags":["a"],"due":null,` + owner + `,"items":[{"text":"x","done":false}]}`, 200, `{"id":7,"title":"milk by ann"}`},
		{"unknown field", "POST", "/todos", `{"title":"milk","colour":"red",` + owner + `}`, 400, `unknown field \"colour\"`},
		{"unknown nested field", "POST", "/todos", `{"title":"milk","owner":{"name":"ann","age":3}}`, 400, `unknown field \"owner.age\"`},
		{"unknown field in a list", "POST", "/todos", `{"title":"milk",` + owner + `,"items":[{"text":"x","done":true},{"text":"y","done":true,"z":1}]}`, 400, `unknown field \"items[1].z\"`},
		{"field names are case-sensitive", "POST", "/todos", `{"TITLE":"milk",` + owner + `}`, 400, `unknown field \"TITLE\"`},
		{"missing required field", "POST", "/todos", `{` + owner + `}`, 400, `missing required field \"title\"`},
		{"null counts as missing", "POST", "/todos", `{"title":null,` + owner + `}`, 400, `missing required field \"title\"`},
		{"missing nested fields", "POST", "/todos", `{"title":"milk","owner":{},"items":[{}]}`, 400, `missing required fields \"items[0].text\", \"items[0].done\"`},
		{"several missing", "POST", "/todos", `{}`, 400, `missing required fields \"title\", \"owner\"`},
		{"trailing data", "POST", "/todos", `{"title":"milk",` + owner + `} {}`, 400, `unexpected data after the JSON value`},
		{"trailing garbage", "POST", "/todos", `{"title":"milk",` + owner + `}x`, 400, `Error Parsing JSON`},
		{"malformed", "POST", "/todos", `{"title":`, 400, `Error Parsing JSON`},
		{"null body", "POST", "/todos", ` null `, 400, `the request body is null`},
		{"empty body", "POST", "/todos", ``, 400, `the request body is empty`},
		{"wrong type", "POST", "/todos", `{"title":5,` + owner + `}`, 400, `field \"title\": want a string, got JSON number`},
		{"wrong nested type", "POST", "/todos", `{"title":"a","owner":{"name":["x"]}}`, 400, `field \"owner.name\": want a string, got JSON array`},
		{"body not an object", "POST", "/todos", `[1]`, 400, `the body: want an object, got JSON array`},
		{"Validate error is a 400", "POST", "/todos", `{"title":"  ",` + owner + `}`, 400, `{"Code":"BadRequestError","Message":"title must not be blank"}`},
		{"Validate *Error keeps its status", "POST", "/todos", `{"title":"conflict",` + owner + `}`, 409, `{"Code":"ConflictError","Message":"a todo with this title exists"}`},
		{"view error is a 500", "POST", "/todos", `{"title":"boom",` + owner + `}`, 500, `"InternalServerError"`},
		{"NoBody ignores the body", "GET", "/todos/{id}", `not json`, 200, `{"id":7,"title":"seven"}`},
		{"typed view error", "GET", "/todos/{id}", ``, 404, `{"Code":"NotFoundError","Message":"no todo 8"}`},
		{"a typed string is a JSON string", "GET", "/text", ``, 200, `"a \"quote\""`},
		{"typed bytes are base64", "GET", "/bytes", ``, 200, `"/wA="`},
		{"plain views unchanged", "POST", "/plain", `{"anything":1}`, 200, `plain`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := proxyEvent(tt.method, tt.path, nil)
			ev.Body = tt.body
			if strings.Contains(tt.path, "{id}") {
				ev.PathParameters = map[string]string{"id": "7"}
				if tt.status == 404 {
					ev.PathParameters["id"] = "8"
				}
			}
			resp := invokeAPI(t, app, ev)
			if resp.StatusCode != tt.status || !strings.Contains(resp.Body, tt.want) {
				t.Errorf("%s %s %s: got %d %s, want %d containing %s", tt.method, tt.path, tt.body, resp.StatusCode, resp.Body, tt.status, tt.want)
			}
			if tt.status == 400 && !strings.HasPrefix(resp.Body, `{"Code":"BadRequestError"`) {
				t.Errorf("400 body %s is not a BadRequestError", resp.Body)
			}
		})
	}
}

func TestTypedManifest(t *testing.T) {
	m, err := typedApp(t).Manifest()
	if err != nil {
		t.Fatal(err)
	}
	views := map[string]manifest.View{}
	for _, r := range m.Routes {
		for _, v := range r.Views {
			views[v.Method+" "+r.Path] = v
		}
	}
	delete(views, "GET /text")
	delete(views, "GET /bytes")
	got, _ := json.Marshal(views)
	want := `{"GET /todos/{id}":{"method":"GET","operationId":"getTodo","query":[{"name":"fields","description":"the fields to return"}],"typed":true,"response":{"ref":"Todo"}},` +
		`"POST /plain":{"method":"POST","operationId":"postPlain"},` +
		`"POST /todos":{"method":"POST","operationId":"createTodo","summary":"Create a todo","description":"Adds a todo for its owner.","typed":true,"request":{"ref":"NewTodo"},"response":{"ref":"Todo"}}}`
	if string(got) != want {
		t.Errorf("views\n got %s\nwant %s", got, want)
	}
	var names []string
	for name := range m.Models {
		names = append(names, name)
	}
	for _, want := range []string{"Error", "NewTodo", "Todo", "TodoItem", "TodoPerson"} {
		if m.Models[want] == nil {
			t.Errorf("models %v lack %s", names, want)
		}
	}
	if len(m.Models) != 5 {
		t.Errorf("models %v, want 5", names)
	}
}

func TestTypedRouteRegistrationErrors(t *testing.T) {
	app := New("bad")
	TypedRoute(app, "/c", func(r *Request, in struct{ C chan int }) (string, error) { return "", nil }, Methods("POST"))
	TypedRoute(app, "/f", func(r *Request, in NoBody) (func(), error) { return nil, nil })
	TypedRoute[NoBody, string](app, "/nil", nil)
	TypedRoute(app, "nopath", getTodo)
	app.Route("/q", ok, QueryParam("a", ""), QueryParam("a", "again"))
	_, err := app.Manifest()
	for _, want := range []string{
		"route /c: request type: field C of struct { C chan int }: type chan int cannot be encoded as JSON",
		"route /f: response type: type func() cannot be encoded as JSON",
		"route /nil: the handler is nil",
		`route nopath: path "nopath" must start with "/"`,
		`route /q: query parameter "a" is empty or documented twice`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("registration error %v, want it to contain %q", err, want)
		}
	}
}

func TestOperationIDs(t *testing.T) {
	app := New("ids")
	app.Route("/", ok)
	app.Route("/users/{id}", ok, Methods("GET", "DELETE"))
	app.Route("/echo", echoView, Methods("POST", "PUT"))
	app.Route("/one", echoView2)
	app.Route("/closure", func(r *Request) (any, error) { return nil, nil })
	got := app.operationIDs()
	want := map[string]string{
		"GET /": "get", "GET /users/{id}": "getUsersID", "DELETE /users/{id}": "deleteUsersID",
		"POST /echo": "postEcho", "PUT /echo": "putEcho", "GET /one": "echoView2", "GET /closure": "getClosure",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("operation ID of %s = %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("IDs %v, want %d", got, len(want))
	}
}

func echoView(r *Request) (any, error)  { return nil, nil }
func echoView2(r *Request) (any, error) { return nil, nil }

// Typed views answer HTTP API (payload 2.0) events alike.
func TestTypedRouteV2(t *testing.T) {
	app := typedApp(t)
	tests := []struct {
		body   string
		status int
		want   string
	}{
		{`{"title":"milk","owner":{"name":"ann"}}`, 200, `{"id":7,"title":"milk by ann"}`},
		{`{"title":"milk","owner":{"name":"ann"},"x":1}`, 400, `{"Code":"BadRequestError","Message":"unknown field \"x\""}`},
	}
	for _, tt := range tests {
		ev := httpEvent("POST", "/todos", "/todos", nil)
		ev.Body = tt.body
		resp := invokeAPIV2(t, app, ev)
		if resp.StatusCode != tt.status || resp.Body != tt.want {
			t.Errorf("%s: got %d %s, want %d %s", tt.body, resp.StatusCode, resp.Body, tt.status, tt.want)
		}
	}
}
