package lint_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/lint"
)

func check(t *testing.T, doc string) (*lint.Document, []lint.Finding) {
	t.Helper()
	d, fs, err := lint.Check(context.Background(), []byte(doc), lint.Options{Name: "doc.json"})
	if err != nil {
		t.Fatal(err)
	}
	return d, fs
}

func findingsText(fs []lint.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	return b.String()
}

const subtractDoc = `{
  "openrpc": "1.3.2",
  "info": {"title": "t", "version": "1"},
  "methods": [
    {"name": "subtract", "params": [
      {"name": "minuend", "required": true, "schema": {"type": "number"}},
      {"name": "subtrahend", "required": true, "schema": {"type": "number"}}
    ], "result": {"name": "d", "schema": {"type": "number"}}, "errors": [{"code": 7, "message": "seven"}]},
    {"name": "sum", "paramStructure": "by-position", "x-variadic": "n",
     "params": [{"name": "n", "schema": {"type": "number"}}], "result": {"name": "s", "schema": {"type": "number"}}},
    {"name": "find", "paramStructure": "by-name", "params": [{"name": "q", "schema": {"type": "string"}}]}
  ]
}`

func TestCheck_cleanDocument(t *testing.T) {
	doc, fs := check(t, subtractDoc)
	if len(fs) != 0 {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
	if got := strings.Join(doc.Methods(), ","); got != "subtract,sum,find" {
		t.Errorf("Methods() = %s", got)
	}
}

func TestCheck_notJSONHasLineAndColumn(t *testing.T) {
	_, fs := check(t, "{\n  \"openrpc\": \"1.3.2\",\n  \"info\": }\n")
	if len(fs) != 1 || fs[0].Line != 3 || fs[0].Column != 11 || fs[0].Keyword != "json" {
		t.Fatalf("got %+v", fs)
	}
}

func TestCheck_versionFamilies(t *testing.T) {
	for _, v := range []string{"1.0.0-rc0", "1.0.0-rc1", "1.1.12", "1.2.6", "1.3.0", "1.3.2", "1.4.0", "1.4.7"} {
		doc := `{"openrpc": "` + v + `", "info": {"title": "t", "version": "1"}, "methods": []}`
		if _, fs := check(t, doc); len(fs) != 0 {
			t.Errorf("%s: %s", v, findingsText(fs))
		}
	}
	for _, v := range []string{"1.3.9", "1.5.0", "2.0.0", "one"} {
		doc := `{"openrpc": "` + v + `", "info": {"title": "t", "version": "1"}, "methods": []}`
		_, fs := check(t, doc)
		if len(fs) != 1 || fs[0].Pointer != "/openrpc" || !strings.Contains(fs[0].Message, "unknown OpenRPC version") {
			t.Errorf("%s: %s", v, findingsText(fs))
		}
	}
}

func TestCheck_recursiveSchemaCycleOfRefs(t *testing.T) {
	// A → B → A: plain reference cycles must not loop.
	doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
	  "methods": [{"name": "m", "params": [{"name": "a", "schema": {"$ref": "#/components/schemas/A"}}]}],
	  "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}}`
	_, fs := check(t, doc)
	if len(fs) == 0 {
		t.Fatal("a cycle of plain references is not reported")
	}
}

func TestCheckFile_externalRefs(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "s"), 0o755)
	os.WriteFile(filepath.Join(dir, "s", "a.json"), []byte(`{"A": {"type": "object", "properties": {"b": {"$ref": "b.json#/B"}}}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "s", "b.json"), []byte(`{"B": {"type": "integer"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "doc.json"), []byte(`{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
	  "methods": [{"name": "m", "params": [{"name": "a", "required": true, "schema": {"$ref": "s/a.json#/A"}}]}]}`), 0o644)
	doc, fs, err := lint.CheckFile(context.Background(), filepath.Join(dir, "doc.json"))
	if err != nil || len(fs) != 0 {
		t.Fatalf("%v\n%s", err, findingsText(fs))
	}
	var got []lint.Finding
	err = doc.Payloads().Check(context.Background(), strings.NewReader(`{"jsonrpc": "2.0", "id": 1, "method": "m", "params": [{"b": "x"}]}`), "p", func(f lint.Finding) { got = append(got, f) })
	if err != nil || len(got) != 1 || got[0].Pointer != "/params/0/b" || got[0].Keyword != "type" {
		t.Fatalf("%v %s", err, findingsText(got))
	}
}

func TestPayloads(t *testing.T) {
	doc, fs := check(t, subtractDoc)
	if len(fs) != 0 {
		t.Fatal(findingsText(fs))
	}
	in := `{"jsonrpc":"2.0","id":1,"method":"subtract","params":[1,"x"]}
{"jsonrpc":"2.0","id":2,"method":"subtract","params":{"minuend":1,"subtrahend":2,"extra":3}}
{"jsonrpc":"2.0","id":3,"method":"sum","params":[1,2,"3"]}
{"jsonrpc":"2.0","id":4,"method":"find","params":["x"]}
{"jsonrpc":"2.0","id":5,"method":"find","params":{"q":"x"}}
{"jsonrpc":"2.0","id":2,"result":"two"}
{"jsonrpc":"2.0","id":1,"error":{"code":7,"message":"seven"}}
{"jsonrpc":"2.0","id":3,"error":{"code":8,"message":"eight"}}
  {"jsonrpc": "2.0",
   "id": 6,
   "method": "subtract",
   "params": [1]}
{"jsonrpc":"2.0","id":7,"method":"subtract","params":[1,
{"jsonrpc":"2.0","id":8,"method":"subtract","params":[1,2,3]}
`
	want := `p:1: method subtract: /params/1: type: expected number, got string
p:2: method subtract: /params/extra: additionalProperties: method subtract has no param "extra" (hint: the method's params are "minuend", "subtrahend")
p:3: method sum: /params/2: type: expected number, got string
p:4: method find: /params: paramStructure: find takes params by name (an object) (hint: send {"q": …})
p:6: method subtract: /result: type: expected number, got string
p:8: method sum: /error/code: errors: error code 8 is not declared by method sum (hint: declare it in the method's "errors")
p:9: method subtract: /params: required: missing required param "subtrahend" (position 1)
p:13:57: json: not valid JSON: unexpected end of input
p:14: method subtract: /params/2: maxItems: too many params: subtract takes at most 2, got 3
`
	var got []lint.Finding
	pc := doc.Payloads()
	if err := pc.Check(context.Background(), strings.NewReader(in), "p", func(f lint.Finding) { got = append(got, f) }); err != nil {
		t.Fatal(err)
	}
	if s := findingsText(got); s != want {
		t.Errorf("got\n%s\nwant\n%s", s, want)
	}
	if pc.Messages() != 11 {
		t.Errorf("Messages() = %d, want 11", pc.Messages())
	}
}

func TestPayloads_singleValueHasNoLine(t *testing.T) {
	doc, _ := check(t, subtractDoc)
	var got []lint.Finding
	in := "[\n {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"},\n {\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"subtract\",\"params\":[1,2]}\n]\n"
	doc.Payloads().Check(context.Background(), strings.NewReader(in), "b.json", func(f lint.Finding) { got = append(got, f) })
	if len(got) != 1 || got[0].Location() != "b.json[0]" {
		t.Fatalf("%s", findingsText(got))
	}
}

func TestPayloads_valueTooLarge(t *testing.T) {
	doc, _ := check(t, subtractDoc)
	pc := doc.Payloads()
	pc.MaxValueSize = 100
	in := `{"jsonrpc":"2.0","id":1,"method":"subtract","params":[1,2]}` + "\n" +
		`{"jsonrpc":"2.0","id":2,"method":"subtract","params":["` + strings.Repeat("x", 200000) + `",2]}` + "\n" +
		`{"jsonrpc":"2.0","id":3,"method":"subtract","params":[1,"y"]}` + "\n"
	var got []lint.Finding
	pc.Check(context.Background(), strings.NewReader(in), "p", func(f lint.Finding) { got = append(got, f) })
	if len(got) != 2 || got[0].Keyword != "size" || got[0].Line != 2 || got[1].Line != 3 {
		t.Fatalf("%s", findingsText(got))
	}
}
