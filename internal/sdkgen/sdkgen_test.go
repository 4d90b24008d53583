package sdkgen

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gochalice/gochalice/framework/manifest"
	"github.com/gochalice/gochalice/internal/testtool"
)

var (
	str    = &manifest.Schema{Type: manifest.TypeString}
	object = func(props ...manifest.Property) *manifest.Schema {
		return &manifest.Schema{Type: manifest.TypeObject, Properties: props}
	}
)

// edgeManifest has what naming and typing must survive: models named like
// the clients' own types and globals, inline objects, maps, nested arrays,
// property and parameter names that are not identifiers, a greedy path, an
// untyped body with another content type, and an operation without an ID.
func edgeManifest() *manifest.Manifest {
	return &manifest.Manifest{
		App: "edge-case",
		Routes: []manifest.Route{
			{Path: "/files/{file_path+}", Methods: []string{"GET", "PUT"}, Params: []string{"file_path"}, Views: []manifest.View{
				{Method: "PUT", OperationID: "putFile", ContentTypes: []string{"text/plain"}},
			}},
			{Path: "/items/{type}", Methods: []string{"POST"}, Params: []string{"type"}, Views: []manifest.View{
				{Method: "POST", OperationID: "createItem", Typed: true, Summary: "Create", Description: "Two\nlines.",
					Request:  &manifest.Schema{Ref: "Client"},
					Response: &manifest.Schema{Type: manifest.TypeArray, Items: &manifest.Schema{Type: manifest.TypeArray, Items: &manifest.Schema{Ref: "Response"}}},
					Query:    []manifest.QueryParam{{Name: "page-size", Description: "how many"}, {Name: "delete"}}},
			}},
		},
		Models: map[string]*manifest.Schema{
			"Error": object(manifest.Property{Name: "Code", Schema: str}),
			"Client": {Type: manifest.TypeObject, Required: []string{"first-name"}, Properties: []manifest.Property{
				{Name: "first-name", Schema: str},
				{Name: "meta", Schema: &manifest.Schema{Type: manifest.TypeObject, AdditionalProperties: &manifest.Schema{}}},
				{Name: "inline", Schema: object(manifest.Property{Name: "at", Schema: &manifest.Schema{Type: manifest.TypeString, Format: "date-time"}})},
				{Name: "raw", Schema: &manifest.Schema{Type: manifest.TypeString, Format: "byte"}},
				{Name: "n", Schema: &manifest.Schema{Type: manifest.TypeNumber, Format: "float"}},
				{Name: "type", Schema: &manifest.Schema{Type: manifest.TypeInteger, Format: "int32"}},
			}},
			"Response": object(manifest.Property{Name: "self", Schema: &manifest.Schema{Ref: "Response"}}),
		},
	}
}

func TestGeneratedSource(t *testing.T) {
	m := edgeManifest()
	ts, err := TypeScript(m)
	if err != nil {
		t.Fatal(err)
	}
	goSrc, err := Go(m, DefaultPackage(m.App))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang string
		src  []byte
		want []string
	}{
		{"ts", ts, []string{
			"export interface ClientModel {\n  \"first-name\": string;\n  meta?: Record<string, unknown>;\n  inline?: {\n    /** An RFC 3339 date-time. */\n    at?: string;\n  };\n",
			"export interface ResponseModel {\n  self?: ResponseModel;\n}",
			"async createItem(type: string, body: ClientModel, query: { \"page-size\"?: string; delete?: string } = {}): Promise<ResponseModel[][]>",
			"`/items/${encodeURIComponent(type)}`",
			"async getFilesFilePath(filePath: string): Promise<unknown>",
			"`/files/${filePath.split(\"/\").map(encodeURIComponent).join(\"/\")}`",
			"async putFile(filePath: string, body: unknown): Promise<unknown>",
			`"PUT", ` + "`/files/${filePath.split(\"/\").map(encodeURIComponent).join(\"/\")}`" + `, undefined, body, "text/plain")`,
			"   * Create\n   *\n   * Two\n   * lines.\n   * query.page-size: how many\n",
		}},
		{"go", goSrc, []string{
			"package edgecaseclient\n",
			"type ClientModel struct {\n\tFirstName string ",
			"\tMeta      map[string]json.RawMessage `json:\"meta,omitempty\"`",
			"\tInline    *struct {\n\t\tAt *time.Time `json:\"at,omitempty\"`\n\t} `json:\"inline,omitempty\"`",
			"\tRaw  []byte   `json:\"raw,omitempty\"`",
			"\tN    *float32 `json:\"n,omitempty\"`",
			"\tType *int32   `json:\"type,omitempty\"`",
			"type Response struct {\n\tSelf *Response `json:\"self,omitempty\"`\n}",
			"// CreateItem calls POST /items/{type}.\n//\n// Create.\n//\n// Two\n// lines.\n",
			"type CreateItemQuery struct {\n\t// PageSize is how many.\n\tPageSize string\n\tDelete   string\n}",
			"func (c *Client) CreateItem(ctx context.Context, typeParam string, body ClientModel, query CreateItemQuery) ([][]Response, error)",
			`fmt.Sprintf("/items/%s", url.PathEscape(typeParam))`,
			"func (c *Client) GetFilesFilePath(ctx context.Context, filePath string) (json.RawMessage, error)",
			`fmt.Sprintf("/files/%s", escapeGreedy(filePath))`,
			`c.do(ctx, "PUT", fmt.Sprintf("/files/%s", escapeGreedy(filePath)), nil, body, "text/plain", &out)`,
		}},
	}
	for _, tt := range tests {
		for _, w := range tt.want {
			if !strings.Contains(string(tt.src), w) {
				t.Errorf("%s client lacks\n%s\n--- in ---\n%s", tt.lang, w, tt.src)
			}
		}
	}
	if strings.Contains(string(ts), "interface ErrorModel") || strings.Contains(string(goSrc), "ErrorModel") {
		t.Error("the Error model is generated; APIError stands for it")
	}
}

func TestGenerateErrors(t *testing.T) {
	dup := edgeManifest()
	dup.Routes[0].Views = append(dup.Routes[0].Views, manifest.View{Method: "GET", OperationID: "putFile"})
	missing := edgeManifest()
	delete(missing.Models, "Response")
	badID := edgeManifest()
	badID.Routes[0].Views[0].OperationID = "put-file"
	tests := []struct {
		name string
		m    *manifest.Manifest
		pkg  string
		want string
	}{
		{"no routes", &manifest.Manifest{App: "a"}, "a", "app a has no routes"},
		{"duplicate ID", dup, "a", `route PUT /files/{file_path+}: operation ID "putFile" is also the ID of GET /files/{file_path+}`},
		{"missing model", missing, "a", `route POST /items/{type}: the manifest has no model "Response"`},
		{"bad ID", badID, "a", `operation ID "put-file" is not an identifier`},
		{"bad package", edgeManifest(), "my-client", `package name "my-client" is not a Go identifier`},
	}
	for _, tt := range tests {
		for _, lang := range Languages {
			if lang == "ts" && tt.pkg != "a" {
				continue
			}
			if _, err := Source(tt.m, lang, tt.pkg); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s (%s): error %v, want %q", tt.name, lang, err, tt.want)
			}
		}
	}
	if _, err := Source(edgeManifest(), "rust", ""); err == nil || !strings.Contains(err.Error(), `unknown language "rust"`) {
		t.Errorf("rust: %v", err)
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		f        func(string) string
		in, want string
	}{
		{goName, "due_date", "DueDate"}, {goName, "id", "ID"}, {goName, "userId", "UserId"}, {goName, "api-url", "APIURL"},
		{goName, "2fa", "X2fa"}, {goName, "type", "Type"},
		{goParamName, "id", "id"}, {goParamName, "user_name", "userName"}, {goParamName, "type", "typeParam"}, {goParamName, "ctx", "ctxParam"},
		{tsParamName, "file_path", "filePath"}, {tsParamName, "delete", "deleteParam"},
		{DefaultPackage, "todo", "todoclient"}, {DefaultPackage, "My-App", "myappclient"}, {DefaultPackage, "9x", "apiclient"},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("%q → %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEdgeClientsCompile compiles the edge-case clients: the Go package with
// go build, the TypeScript module with tsc --strict.
func TestEdgeClientsCompile(t *testing.T) {
	m := edgeManifest()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	t.Run("go", func(t *testing.T) {
		src, err := Go(m, "edgeclient")
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		write(t, dir, "go.mod", "module example.com/edgeclient\n\ngo 1.22\n")
		write(t, dir, "client.go", string(src))
		cmd := exec.CommandContext(ctx, "go", "vet", ".")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go vet: %v\n%s", err, out)
		}
	})
	t.Run("ts", func(t *testing.T) {
		tsc := testtool.Require(t, "tsc", "npm install -g typescript@5.9.3")
		src, err := TypeScript(m)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		write(t, dir, "client.ts", string(src))
		cmd := exec.CommandContext(ctx, tsc, "--strict", "--noEmit", "--noUnusedLocals", "--target", "es2022", "--lib", "es2022,dom", "client.ts")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("tsc --strict: %v\n%s", err, out)
		}
	})
}

func write(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
