package openrpcdiff

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// doc builds a document from the JSON of its methods and of its
// components.schemas.
func doc(t testing.TB, methods, schemas string) *Document {
	t.Helper()
	if schemas == "" {
		schemas = "{}"
	}
	src := fmt.Sprintf(`{"openrpc":"1.3.2","info":{"title":"t","version":"1"},"methods":%s,"components":{"schemas":%s}}`, methods, schemas)
	d, err := Load(context.Background(), []byte(src), "t.json", "")
	if err != nil {
		t.Fatalf("load %s: %v", src, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// m builds a method with params (JSON array) and result schema ("" for a
// notification).
func m(name, params, result string) string {
	if result == "" {
		return fmt.Sprintf(`{"name":%q,"params":%s}`, name, params)
	}
	return fmt.Sprintf(`{"name":%q,"params":%s,"result":{"name":"r","schema":%s}}`, name, params, result)
}

func p(name, schema string, required bool) string {
	return fmt.Sprintf(`{"name":%q,"required":%t,"schema":%s}`, name, required, schema)
}

func kinds(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Severity.String()+" "+f.Kind)
	}
	slices.Sort(out)
	return out
}

func TestRules(t *testing.T) {
	str := `{"type":"string"}`
	obj := func(props, req string) string {
		return fmt.Sprintf(`{"type":"object","properties":%s,"required":%s}`, props, req)
	}
	one := func(params, result string) string { return "[" + m("f", params, result) + "]" }
	tests := []struct {
		name                   string
		old, new               string // methods
		oldSchemas, newSchemas string
		want                   []string
	}{
		{name: "method removed", old: "[" + m("f", "[]", str) + "," + m("g", "[]", str) + "]", new: one("[]", str),
			want: []string{"breaking method-removed"}},
		{name: "deprecated method removed",
			old: `[{"name":"g","deprecated":true,"params":[],"result":{"name":"r","schema":{}}},` + m("f", "[]", str) + "]", new: one("[]", str),
			want: []string{"warning deprecated-method-removed"}},
		{name: "method renamed", old: one("[]", str), new: "[" + m("f2", "[]", str) + "]",
			want: []string{"breaking method-removed", "info method-added"}},
		{name: "method added", old: one("[]", str), new: "[" + m("f", "[]", str) + "," + m("g", "[]", str) + "]",
			want: []string{"info method-added"}},
		{name: "method deprecated", old: one("[]", str), new: `[{"name":"f","deprecated":true,"params":[],"result":{"name":"r","schema":{"type":"string"}}}]`,
			want: []string{"info method-deprecated"}},
		{name: "became notification", old: one("[]", str), new: one("[]", ""), want: []string{"breaking method-became-notification"}},
		{name: "became request", old: one("[]", ""), new: one("[]", str), want: []string{"breaking method-became-request"}},
		{name: "param structure narrowed", old: one("["+p("a", str, true)+"]", str),
			new:  `[{"name":"f","paramStructure":"by-name","params":[` + p("a", str, true) + `],"result":{"name":"r","schema":{"type":"string"}}}]`,
			want: []string{"breaking param-structure-narrowed"}},
		{name: "param structure widened",
			old:  `[{"name":"f","paramStructure":"by-name","params":[` + p("a", str, true) + `],"result":{"name":"r","schema":{"type":"string"}}}]`,
			new:  one("["+p("a", str, true)+"]", str),
			want: []string{"info param-structure-widened"}},
		{name: "param removed", old: one("["+p("a", str, true)+","+p("b", str, false)+"]", str), new: one("["+p("a", str, true)+"]", str),
			want: []string{"breaking param-removed"}},
		{name: "param removed by name",
			old:  `[{"name":"f","paramStructure":"by-name","params":[` + p("a", str, true) + `,` + p("b", str, false) + `],"result":{"name":"r","schema":{}}}]`,
			new:  `[{"name":"f","paramStructure":"by-name","params":[` + p("a", str, true) + `],"result":{"name":"r","schema":{}}}]`,
			want: []string{"warning param-removed"}},
		{name: "required param added", old: one("[]", str), new: one("["+p("a", str, true)+"]", str), want: []string{"breaking param-required-added"}},
		{name: "optional param added at the end", old: one("["+p("a", str, true)+"]", str), new: one("["+p("a", str, true)+","+p("b", str, false)+"]", str),
			want: []string{"info param-optional-added"}},
		{name: "optional param inserted", old: one("["+p("a", str, false)+"]", str), new: one("["+p("b", str, false)+","+p("a", str, false)+"]", str),
			want: []string{"breaking param-position-changed", "info param-optional-added"}},
		{name: "params reordered", old: one("["+p("a", str, true)+","+p("b", `{"type":"integer"}`, true)+"]", str),
			new:  one("["+p("b", `{"type":"integer"}`, true)+","+p("a", str, true)+"]", str),
			want: []string{"breaking param-position-changed", "breaking param-position-changed"}},
		{name: "param became required", old: one("["+p("a", str, false)+"]", str), new: one("["+p("a", str, true)+"]", str),
			want: []string{"breaking param-became-required"}},
		{name: "param became optional", old: one("["+p("a", str, true)+"]", str), new: one("["+p("a", str, false)+"]", str),
			want: []string{"info param-became-optional"}},
		{name: "param renamed", old: one("["+p("a", str, true)+"]", str), new: one("["+p("b", str, true)+"]", str),
			want: []string{"breaking param-renamed"}},
		{name: "param renamed by position",
			old:  `[{"name":"f","paramStructure":"by-position","params":[` + p("a", str, true) + `],"result":{"name":"r","schema":{}}}]`,
			new:  `[{"name":"f","paramStructure":"by-position","params":[` + p("b", str, true) + `],"result":{"name":"r","schema":{}}}]`,
			want: []string{"info param-renamed"}},
		{name: "param type removed", old: one("["+p("a", `{"type":["string","null"]}`, true)+"]", str), new: one("["+p("a", str, true)+"]", str),
			want: []string{"breaking param-type-removed"}},
		{name: "param number to integer", old: one("["+p("a", `{"type":"number"}`, true)+"]", str), new: one("["+p("a", `{"type":"integer"}`, true)+"]", str),
			want: []string{"breaking param-type-removed"}},
		{name: "param type added", old: one("["+p("a", str, true)+"]", str), new: one("["+p("a", `{"type":["string","null"]}`, true)+"]", str),
			want: []string{"info param-type-added"}},
		{name: "param type changed", old: one("["+p("a", str, true)+"]", str), new: one("["+p("a", `{"type":"integer"}`, true)+"]", str),
			want: []string{"breaking param-type-changed"}},
		{name: "param enum value removed", old: one("["+p("a", `{"enum":["x","y"]}`, true)+"]", str), new: one("["+p("a", `{"enum":["x"]}`, true)+"]", str),
			want: []string{"breaking param-enum-value-removed"}},
		{name: "param enum value added", old: one("["+p("a", `{"enum":["x"]}`, true)+"]", str), new: one("["+p("a", `{"enum":["x","y"]}`, true)+"]", str),
			want: []string{"info param-enum-value-added"}},
		{name: "param const changed", old: one("["+p("a", `{"const":1}`, true)+"]", str), new: one("["+p("a", `{"const":2}`, true)+"]", str),
			want: []string{"breaking param-enum-value-removed", "info param-enum-value-added"}},
		{name: "param stricter", old: one("["+p("a", `{"type":"string","maxLength":10,"minimum":0}`, true)+"]", str),
			new:  one("["+p("a", `{"type":"string","maxLength":5,"minimum":1,"pattern":"^a"}`, true)+"]", str),
			want: []string{"breaking param-constraint-narrowed", "breaking param-constraint-narrowed", "breaking param-constraint-narrowed"}},
		{name: "param looser", old: one("["+p("a", `{"type":"string","maxLength":5,"format":"uri"}`, true)+"]", str),
			new:  one("["+p("a", `{"type":"string","maxLength":10}`, true)+"]", str),
			want: []string{"info param-constraint-widened", "info param-constraint-widened"}},
		{name: "param pattern changed", old: one("["+p("a", `{"type":"string","pattern":"^a"}`, true)+"]", str),
			new:  one("["+p("a", `{"type":"string","pattern":"^b"}`, true)+"]", str),
			want: []string{"warning param-constraint-changed"}},
		{name: "param enum introduced", old: one("["+p("a", str, true)+"]", str), new: one("["+p("a", `{"type":"string","enum":["x"]}`, true)+"]", str),
			want: []string{"breaking param-constraint-narrowed"}},
		{name: "param property required added", old: one("["+p("a", obj(`{"x":{"type":"string"}}`, `[]`), true)+"]", str),
			new:  one("["+p("a", obj(`{"x":{"type":"string"},"y":{}}`, `["y"]`), true)+"]", str),
			want: []string{"breaking param-property-required-added"}},
		{name: "param property optional added", old: one("["+p("a", obj(`{"x":{}}`, `[]`), true)+"]", str),
			new:  one("["+p("a", obj(`{"x":{},"y":{}}`, `[]`), true)+"]", str),
			want: []string{"info param-property-added"}},
		{name: "param property became required", old: one("["+p("a", obj(`{"x":{}}`, `[]`), true)+"]", str),
			new:  one("["+p("a", obj(`{"x":{}}`, `["x"]`), true)+"]", str),
			want: []string{"breaking param-property-became-required"}},
		{name: "param closed", old: one("["+p("a", obj(`{"x":{}}`, `[]`), true)+"]", str),
			new:  one("["+p("a", `{"type":"object","properties":{"x":{}},"additionalProperties":false}`, true)+"]", str),
			want: []string{"breaking param-properties-closed"}},
		{name: "param property removed closed", old: one("["+p("a", `{"type":"object","properties":{"x":{},"y":{}},"additionalProperties":false}`, true)+"]", str),
			new:  one("["+p("a", `{"type":"object","properties":{"x":{}},"additionalProperties":false}`, true)+"]", str),
			want: []string{"breaking param-property-removed"}},
		{name: "param property removed open", old: one("["+p("a", obj(`{"x":{},"y":{}}`, `[]`), true)+"]", str),
			new:  one("["+p("a", obj(`{"x":{}}`, `[]`), true)+"]", str),
			want: []string{"warning param-property-removed"}},
		{name: "param nested item narrowed", old: one("["+p("a", `{"type":"array","items":{"type":["string","integer"]}}`, true)+"]", str),
			new:  one("["+p("a", `{"type":"array","items":{"type":"string"}}`, true)+"]", str),
			want: []string{"breaking param-type-removed"}},
		{name: "param branch removed", old: one("["+p("a", `{"oneOf":[{"type":"string"},{"type":"integer"}]}`, true)+"]", str),
			new:  one("["+p("a", `{"oneOf":[{"type":"string"}]}`, true)+"]", str),
			want: []string{"breaking param-branch-removed"}},
		{name: "param branch added", old: one("["+p("a", `{"anyOf":[{"type":"string"}]}`, true)+"]", str),
			new:  one("["+p("a", `{"anyOf":[{"type":"string"},{"type":"integer"}]}`, true)+"]", str),
			want: []string{"info param-branch-added"}},
		{name: "param branch narrowed", old: one("["+p("a", `{"oneOf":[{"type":"string","maxLength":9},{"type":"integer"}]}`, true)+"]", str),
			new:  one("["+p("a", `{"oneOf":[{"type":"integer"},{"type":"string","maxLength":3}]}`, true)+"]", str),
			want: []string{"breaking param-constraint-narrowed"}},
		{name: "param branch merged into a wider one", old: one("["+p("a", `{"oneOf":[{"type":"string","maxLength":9},{"type":"string","minLength":20}]}`, true)+"]", str),
			new: one("["+p("a", `{"oneOf":[{"type":"string"}]}`, true)+"]", str)},
		{name: "result type added", old: one("[]", str), new: one("[]", `{"type":["string","null"]}`), want: []string{"breaking result-type-added"}},
		{name: "result type removed", old: one("[]", `{"type":["string","null"]}`), new: one("[]", str), want: []string{"info result-type-removed"}},
		{name: "result type changed", old: one("[]", str), new: one("[]", `{"type":"object"}`), want: []string{"breaking result-type-changed"}},
		{name: "result enum value added", old: one("[]", `{"enum":["a"]}`), new: one("[]", `{"enum":["a","b"]}`), want: []string{"warning result-enum-value-added"}},
		{name: "result enum value removed", old: one("[]", `{"enum":["a","b"]}`), new: one("[]", `{"enum":["a"]}`), want: []string{"info result-enum-value-removed"}},
		{name: "result constraint widened", old: one("[]", `{"type":"string","maxLength":5}`), new: one("[]", `{"type":"string","maxLength":10}`),
			want: []string{"warning result-constraint-widened"}},
		{name: "result constraint narrowed", old: one("[]", `{"type":"integer"}`), new: one("[]", `{"type":"integer","minimum":0}`),
			want: []string{"info result-constraint-narrowed"}},
		{name: "result property removed", old: one("[]", obj(`{"x":{},"y":{}}`, `[]`)), new: one("[]", obj(`{"x":{}}`, `[]`)),
			want: []string{"breaking result-property-removed"}},
		{name: "result property added", old: one("[]", obj(`{"x":{}}`, `[]`)), new: one("[]", obj(`{"x":{},"y":{}}`, `[]`)),
			want: []string{"info result-property-added"}},
		{name: "result property became optional", old: one("[]", obj(`{"x":{}}`, `["x"]`)), new: one("[]", obj(`{"x":{}}`, `[]`)),
			want: []string{"breaking result-property-became-optional"}},
		{name: "result opened", old: one("[]", `{"type":"object","additionalProperties":false}`), new: one("[]", `{"type":"object"}`),
			want: []string{"warning result-properties-opened"}},
		{name: "result branch added", old: one("[]", `{"oneOf":[{"type":"string"}]}`), new: one("[]", `{"oneOf":[{"type":"string"},{"type":"object"}]}`),
			want: []string{"breaking result-branch-added"}},
		{name: "result null branch added", old: one("[]", `{"$ref":"#/components/schemas/B"}`), new: one("[]", `{"oneOf":[{"$ref":"#/components/schemas/B"},{"type":"null"}]}`),
			oldSchemas: `{"B":{"type":"object","properties":{"n":{"type":"integer"}}}}`, newSchemas: `{"B":{"type":"object","properties":{"n":{"type":"integer"}}}}`,
			want: []string{"breaking result-branch-added"}},
		{name: "result branch removed", old: one("[]", `{"oneOf":[{"type":"string"},{"type":"object"}]}`), new: one("[]", `{"oneOf":[{"type":"string"}]}`),
			want: []string{"info result-branch-removed"}},
		{name: "result branch narrowed and kept", old: one("[]", `{"oneOf":[{"type":"string"},{"type":"object","properties":{"a":{},"b":{}}}]}`),
			new:  one("[]", `{"oneOf":[{"type":"object","properties":{"a":{}}},{"type":"string"}]}`),
			want: []string{"breaking result-property-removed"}},
		{name: "not modelled keyword", old: one("[]", `{"not":{"type":"null"}}`), new: one("[]", `{"not":{"type":"string"}}`),
			want: []string{"warning result-schema-changed"}},
		{name: "error removed", old: `[{"name":"f","params":[],"result":{"name":"r","schema":{}},"errors":[{"code":1,"message":"x"}]}]`,
			new: one("[]", `{}`), want: []string{"warning error-removed"}},
		{name: "error added", old: one("[]", `{}`), new: `[{"name":"f","params":[],"result":{"name":"r","schema":{}},"errors":[{"code":1,"message":"x"}]}]`,
			want: []string{"info error-added"}},
		{name: "description changed", old: `[{"name":"f","summary":"a","params":[],"result":{"name":"r","schema":{}}}]`,
			new: `[{"name":"f","summary":"b","tags":[{"name":"t"}],"params":[],"result":{"name":"r","schema":{}}}]`, want: []string{"info doc-changed"}},
		{name: "unresolved ref", old: one("[]", `{"$ref":"#/components/schemas/Gone"}`), new: one("[]", str),
			want: []string{"warning schema-unresolved"}},

		// Refactors that change nothing.
		{name: "moved into components", old: one("["+p("a", obj(`{"x":{"type":"string"}}`, `["x"]`), true)+"]", str),
			new:        one("["+p("a", `{"$ref":"#/components/schemas/A"}`, true)+"]", str),
			newSchemas: `{"A":` + obj(`{"x":{"$ref":"#/components/schemas/S"}}`, `["x"]`) + `,"S":{"type":"string","description":"a string"}}`},
		{name: "component renamed", old: one("[]", `{"$ref":"#/components/schemas/Old"}`), new: one("[]", `{"$ref":"#/components/schemas/New"}`),
			oldSchemas: `{"Old":{"type":"integer"}}`, newSchemas: `{"New":{"type":"integer"}}`},
		{name: "allOf split", old: one("[]", obj(`{"a":{},"b":{}}`, `["a","b"]`)),
			new:        one("[]", `{"allOf":[{"$ref":"#/components/schemas/A"},{"type":"object","properties":{"b":{}},"required":["b"]}]}`),
			newSchemas: `{"A":{"type":"object","properties":{"a":{}},"required":["a"]}}`},
		{name: "branches reordered", old: one("["+p("a", `{"oneOf":[{"type":"string"},{"type":"integer"}]}`, true)+"]", str),
			new: one("["+p("a", `{"oneOf":[{"type":"integer"},{"type":"string"}]}`, true)+"]", str)},
		{name: "recursive renamed", old: one("[]", `{"$ref":"#/components/schemas/T"}`), new: one("[]", `{"$ref":"#/components/schemas/Tree"}`),
			oldSchemas: `{"T":{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#/components/schemas/T"}}}}}`,
			newSchemas: `{"Tree":{"type":"object","properties":{"kids":{"type":"array","items":{"$ref":"#/components/schemas/Tree"}}}}}`},
		{name: "recursive changed", old: one("[]", `{"$ref":"#/components/schemas/T"}`), new: one("[]", `{"$ref":"#/components/schemas/T"}`),
			oldSchemas: `{"T":{"type":"object","properties":{"v":{"type":"integer"},"kids":{"type":"array","items":{"$ref":"#/components/schemas/T"}}}}}`,
			newSchemas: `{"T":{"type":"object","properties":{"v":{"type":["integer","null"]},"kids":{"type":"array","items":{"$ref":"#/components/schemas/T"}}}}}`,
			want:       []string{"breaking result-type-added"}},
		{name: "mutually recursive", old: one("[]", `{"$ref":"#/components/schemas/A"}`), new: one("[]", `{"$ref":"#/components/schemas/A"}`),
			oldSchemas: `{"A":{"type":"object","properties":{"b":{"$ref":"#/components/schemas/B"}}},"B":{"type":"object","properties":{"a":{"$ref":"#/components/schemas/A"}}}}`,
			newSchemas: `{"A":{"type":"object","properties":{"b":{"$ref":"#/components/schemas/B"}}},"B":{"type":"object","properties":{"a":{"$ref":"#/components/schemas/A"},"c":{}}}}`,
			want:       []string{"info result-property-added"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Compare(doc(t, tt.old, tt.oldSchemas), doc(t, tt.new, tt.newSchemas))
			got := kinds(fs)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("kinds = %q, want %q\nfindings:\n%s", got, want, lines(fs))
			}
			for _, f := range fs {
				if !KnownKind(f.Kind) {
					t.Errorf("kind %q is missing from Kinds", f.Kind)
				}
				if f.Message == "" || f.Method == "" {
					t.Errorf("finding without message or method: %+v", f)
				}
			}
		})
	}
}

func lines(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// TestPointers checks that findings point at the values that changed in
// each document.
func TestPointers(t *testing.T) {
	old := doc(t, `[{"name":"f","params":[{"name":"a","schema":{"$ref":"#/components/schemas/A"}}]}]`,
		`{"A":{"type":"object","properties":{"x":{"type":"string"}}}}`)
	new := doc(t, `[{"name":"f","params":[{"name":"a","schema":{"type":"object","properties":{"x":{"type":"integer"}}}}]}]`, "")
	fs := Compare(old, new)
	if len(fs) != 1 {
		t.Fatalf("findings:\n%s", lines(fs))
	}
	f := fs[0]
	if f.Old.Pointer != "/components/schemas/A/properties/x/type" || f.New.Pointer != "/methods/0/params/0/schema/properties/x/type" ||
		f.Path != `param "a".x` || f.Kind != "param-type-changed" {
		t.Errorf("finding = %+v", f)
	}
}

// testdataDocs lists every OpenRPC document of the repository's testdata,
// and openrpc.json.
func testdataDocs(t testing.TB) []string {
	var out []string
	for _, dir := range []string{"..", "../lint/testdata", "../cmd/schemarpc/testdata/docs", "../docgen/testdata", "testdata"} {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && path != dir && (dir == ".." || d.Name() == "fuzz") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".json") {
				out = append(out, path)
			}
			return nil
		})
	}
	return out
}

// TestSelfIsEmpty: a document compared with itself has no findings, for
// every document of the repository's testdata (recursive ones, other
// versions, references to other files).
func TestSelfIsEmpty(t *testing.T) {
	n := 0
	for _, path := range testdataDocs(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Load(context.Background(), data, path, filepath.Dir(path))
		if err != nil {
			continue // not a document: not JSON, or no methods
		}
		b, err := Load(context.Background(), data, path, filepath.Dir(path))
		if err != nil {
			t.Fatal(err)
		}
		n++
		if fs := Compare(a, b); len(fs) > 0 {
			t.Errorf("%s against itself:\n%s", path, lines(fs))
		}
		a.Close()
		b.Close()
	}
	if n < 20 {
		t.Errorf("only %d documents compared; testdata moved?", n)
	}
}

// TestLedger compares two versions of a document shaped like the
// blockchain node APIs diff was tried on: transactions as oneOf of
// versions built with allOf, block ids as oneOf, recursive events, a
// deprecated method removed, components renamed.
func TestLedger(t *testing.T) {
	load := func(name string) *Document {
		data, err := os.ReadFile(filepath.Join("testdata", "ledger", name))
		if err != nil {
			t.Fatal(err)
		}
		d, err := Load(context.Background(), data, name, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	fs := Compare(load("v1.json"), load("v2.json"))
	want := []string{
		"breaking result-property-removed", "warning result-enum-value-added", "breaking param-branch-removed",
		"breaking param-enum-value-removed", "info param-enum-value-added", "warning error-removed",
		"warning deprecated-method-removed", "info method-added",
	}
	slices.Sort(want)
	if got := kinds(fs); !slices.Equal(got, want) {
		t.Errorf("kinds = %q, want %q\n%s", got, want, lines(fs))
	}
	for _, f := range fs {
		if f.Kind == "param-branch-removed" && (!strings.Contains(f.Message, "INVOKE_V0") || f.Path != `param "request"[].oneOf[0]`) {
			t.Errorf("branch finding = %+v", f)
		}
	}
}

// nestedUnions builds a schema of depth levels of oneOf with width
// branches each, whose leaves have type leaf.
func nestedUnions(depth, width int, leaf string) string {
	if depth == 0 {
		return fmt.Sprintf(`{"type":%q}`, leaf)
	}
	var branches []string
	for i := range width {
		branches = append(branches, fmt.Sprintf(`{"type":"object","properties":{"k%d":%s},"required":["k%d"]}`, i, nestedUnions(depth-1, width, leaf), i))
	}
	return `{"oneOf":[` + strings.Join(branches, ",") + `]}`
}

// TestNestedUnionsBounded: pairing branches by trial comparisons must not
// take time exponential in the nesting of unions.
func TestNestedUnionsBounded(t *testing.T) {
	old := doc(t, "["+m("f", "[]", nestedUnions(5, 4, "string"))+"]", "")
	new := doc(t, "["+m("f", "[]", nestedUnions(5, 4, "integer"))+"]", "")
	done := make(chan []Finding)
	go func() { done <- Compare(old, new) }()
	select {
	case fs := <-done:
		if len(fs) == 0 {
			t.Error("no findings")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Compare ran for more than 30 s")
	}
}

// TestOtherFiles: a schema moved to another file is no change, and a
// change there is located in that file.
func TestOtherFiles(t *testing.T) {
	load := func(name string) *Document {
		data, err := os.ReadFile(filepath.Join("testdata", "split", name))
		if err != nil {
			t.Fatal(err)
		}
		d, err := Load(context.Background(), data, name, filepath.Join("testdata", "split"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	fs := Compare(load("inline.json"), load("main.json"))
	if len(fs) != 1 || fs[0].Kind != "result-constraint-widened" || fs[0].New != (Location{File: "schemas.json", Pointer: "/Tag/maxLength"}) ||
		fs[0].Old.File != "" || fs[0].Path != "result.tags[]" {
		t.Errorf("findings:\n%s", lines(fs))
	}
	// Without the directory, the reference does not resolve: a warning,
	// never a crash.
	data, _ := os.ReadFile("testdata/split/main.json")
	piped, err := Load(context.Background(), data, "/dev/fd/63", "")
	if err != nil {
		t.Fatal(err)
	}
	defer piped.Close()
	if fs := Compare(load("main.json"), piped); len(fs) != 1 || fs[0].Kind != "schema-unresolved" {
		t.Errorf("findings:\n%s", lines(fs))
	}
}

// TestRenameHint: a removed method with the same signature as an added
// one is named in the message.
func TestRenameHint(t *testing.T) {
	fs := Compare(doc(t, "["+m("old_name", "[]", `{"type":"string"}`)+"]", ""), doc(t, "["+m("new_name", "[]", `{"type":"string"}`)+"]", ""))
	if len(fs) != 2 || !strings.Contains(fs[0].Message, "new_name, added with the same params and result, may be its new name") {
		t.Errorf("findings:\n%s", lines(fs))
	}
}

// Bounds are worded by the way they moved, and judged by which side of the
// range they bound: a raised minimum or a lowered maximum narrows.
func TestBoundsWording(t *testing.T) {
	param := func(schema string) string {
		return "[" + m("f", "["+p("a", schema, true)+"]", `{"type":"string"}`) + "]"
	}
	for _, c := range []struct {
		old, new, want string
	}{
		{`{"type":"integer","minimum":1}`, `{"type":"integer","minimum":2}`, "breaking param-constraint-narrowed minimum raised from 1 to 2"},
		{`{"type":"integer","minimum":2}`, `{"type":"integer","minimum":1}`, "info param-constraint-widened minimum lowered from 2 to 1"},
		{`{"type":"integer","maximum":9}`, `{"type":"integer","maximum":5}`, "breaking param-constraint-narrowed maximum lowered from 9 to 5"},
		{`{"type":"integer","maximum":5}`, `{"type":"integer","maximum":9}`, "info param-constraint-widened maximum raised from 5 to 9"},
	} {
		fs := Compare(doc(t, param(c.old), ""), doc(t, param(c.new), ""))
		if len(fs) != 1 {
			t.Fatalf("%s → %s: %d findings: %s", c.old, c.new, len(fs), lines(fs))
		}
		if got := fs[0].Severity.String() + " " + fs[0].Kind + " " + fs[0].Message; !strings.Contains(got, c.want) {
			t.Errorf("%s → %s: %q, want it to contain %q", c.old, c.new, got, c.want)
		}
	}
}
