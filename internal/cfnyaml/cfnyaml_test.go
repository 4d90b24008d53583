package cfnyaml

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseShortForms(t *testing.T) {
	doc := `
A: !Ref Table
B: !GetAtt Table.Arn
C: !Sub "${AWS::StackName}-x"
D: !If [IsProd, !Ref A, !Ref "AWS::NoValue"]
E: !Join ["", [a, !Select [0, !GetAZs ""]]]
F: !ImportValue shared
G: !Equals [!Ref Env, prod]
H: !Not [!Condition IsProd]
I: !And [!Or [x, y], z]
J: !FindInMap [M, !Ref "AWS::Region", k]
K: !Base64 text
L: !Split [",", "a,b"]
M: !Sub
  - "${X}"
  - X: !Ref Y
N: 12
O: 1.5
P: true
Q: null
R: "0777"
S: 0x1F
`
	got, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	ref := func(s string) map[string]any { return map[string]any{"Ref": s} }
	want := map[string]any{
		"A": ref("Table"),
		"B": map[string]any{"Fn::GetAtt": []any{"Table", "Arn"}},
		"C": map[string]any{"Fn::Sub": "${AWS::StackName}-x"},
		"D": map[string]any{"Fn::If": []any{"IsProd", ref("A"), ref("AWS::NoValue")}},
		"E": map[string]any{"Fn::Join": []any{"", []any{"a", map[string]any{"Fn::Select": []any{json.Number("0"), map[string]any{"Fn::GetAZs": ""}}}}}},
		"F": map[string]any{"Fn::ImportValue": "shared"},
		"G": map[string]any{"Fn::Equals": []any{ref("Env"), "prod"}},
		"H": map[string]any{"Fn::Not": []any{map[string]any{"Condition": "IsProd"}}},
		"I": map[string]any{"Fn::And": []any{map[string]any{"Fn::Or": []any{"x", "y"}}, "z"}},
		"J": map[string]any{"Fn::FindInMap": []any{"M", ref("AWS::Region"), "k"}},
		"K": map[string]any{"Fn::Base64": "text"},
		"L": map[string]any{"Fn::Split": []any{",", "a,b"}},
		"M": map[string]any{"Fn::Sub": []any{"${X}", map[string]any{"X": ref("Y")}}},
		"N": json.Number("12"),
		"O": json.Number("1.5"),
		"P": true,
		"Q": nil,
		"R": "0777",
		"S": json.Number("31"),
	}
	if !reflect.DeepEqual(got, want) {
		for k := range want {
			if m, _ := got.(map[string]any); !reflect.DeepEqual(m[k], want[k]) {
				t.Errorf("%s = %#v, want %#v", k, m[k], want[k])
			}
		}
	}
}

func TestParseJSON(t *testing.T) {
	got, err := Parse([]byte("{\n\t\"Outputs\": {\"U\": {\"Value\": \"https:\\/\\/x\"}}, \"N\": 1e3\n}"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"Outputs": map[string]any{"U": map[string]any{"Value": "https://x"}}, "N": json.Number("1000")}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v, want %#v", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ doc, want string }{
		{"A: !GetAtt NoDot", `line 1, column 4: !GetAtt "NoDot": want Resource.Attribute`},
		{"A: !Bogus x", "line 1, column 4: unknown tag !Bogus"},
		{"A: 1\nA: 2", `line 2, column 1: duplicate key "A"`},
		{"a: &x 1\n<<: *x", "merge keys"},
		{"A: [", "yaml:"},
		{"a: &x [1]\nb: *x", "line 2, column 4: YAML aliases (*x) are not supported"},
		{"&a [*a]", "YAML aliases (*a) are not supported"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.doc))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error %v, want %q", tt.doc, err, tt.want)
		}
	}
}

func TestFixJSONEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a": "x\/y"}`, `{"a": "x/y"}`},
		{`{"a": "x\\/y"}`, `{"a": "x\\/y"}`},
		{`{"a": "\"\/"}`, `{"a": "\"/"}`},
		{`{"a": "plain"}`, `{"a": "plain"}`},
	}
	for _, tt := range tests {
		if got := string(FixJSONEscapes([]byte(tt.in))); got != tt.want {
			t.Errorf("FixJSONEscapes(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"A: !Ref X", "B: !GetAtt A.B", `{"a": [1, "\/"]}`, "- !Sub [a, {b: !Ref c}]", "&a [*a]"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := Parse(data)
		if err != nil {
			return
		}
		if _, err := json.Marshal(tree); err != nil {
			t.Fatalf("tree of %q does not encode: %v", data, err)
		}
	})
}
