package docgen_test

import (
	"context"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/docgen"
)

// tryDoc has a method with an example, methods without (by name and by
// position, with a $ref and a recursive schema), and two servers.
const tryDoc = `{
  "openrpc": "1.3.2",
  "info": {"title": "Try", "version": "1"},
  "servers": [{"url": "{scheme}://templated/rpc"}, {"url": "https://api.example.com/rpc"}],
  "methods": [
    {"name": "withExample", "params": [{"name": "a", "schema": {"type": "integer"}}],
     "result": {"name": "r", "schema": {}},
     "examples": [{"name": "e", "params": [{"name": "a", "value": 7}], "result": {"name": "r", "value": 1}}]},
    {"name": "byName", "params": [
       {"name": "user", "schema": {"$ref": "#/components/schemas/User"}},
       {"name": "limit", "schema": {"type": "integer", "default": 50}},
       {"name": "mode", "schema": {"enum": ["fast", "slow"]}},
       {"name": "tree", "schema": {"$ref": "#/components/schemas/Tree"}}],
     "result": {"name": "r", "schema": {}}},
    {"name": "byPosition", "paramStructure": "by-position", "params": [
       {"name": "s", "schema": {"type": ["null", "string"]}},
       {"name": "flags", "schema": {"type": "array"}}],
     "result": {"name": "r", "schema": {}}},
    {"name": "has space", "result": {"name": "r", "schema": {}}}
  ],
  "components": {"schemas": {
    "User": {"type": "object", "required": ["name", "age"], "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "nick": {"type": "string"}}},
    "Tree": {"type": "object", "required": ["child"], "properties": {"child": {"$ref": "#/components/schemas/Tree"}}}
  }}
}`

func renderTry(t *testing.T, opts docgen.Options) string {
	t.Helper()
	opts.Format = docgen.HTML
	var b strings.Builder
	if err := docgen.Render(context.Background(), &b, []byte(tryDoc), opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHTMLTryIt(t *testing.T) {
	out := renderTry(t, docgen.Options{})
	for _, want := range []string{
		// First example's params; else a skeleton (finite for a recursive
		// schema); by position an array.
		`name="params" rows="3" spellcheck="false">{
  &#34;a&#34;: 7
}</textarea>`,
		`{
  &#34;user&#34;: {
    &#34;name&#34;: &#34;&#34;,
    &#34;age&#34;: 0
  },
  &#34;limit&#34;: 50,
  &#34;mode&#34;: &#34;fast&#34;,
  &#34;tree&#34;: {
    &#34;child&#34;: {
      &#34;child&#34;: null
    }
  }
}</textarea>`,
		`>[
  &#34;&#34;,
  []
]</textarea>`,
		// No params: an empty editor.
		`name="params" rows="2" spellcheck="false"></textarea>`,
		// The ids keep the method's name; a name unsafe in a fragment keeps its slug.
		`id="method-withExample" data-method="withExample"`,
		`id="method-has-space" data-method="has space"`,
		// Top-level param rows are marked for the violations.
		`<tr data-param="user">`,
		// The first callable server is the endpoint; it can be edited.
		`"endpoint":"https://api.example.com/rpc","live":false`,
		`id="rpc-endpoint" type="text" value="https://api.example.com/rpc" placeholder=`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(out, `data-param="user.name"`) {
		t.Error("a nested row is marked as a param")
	}

	live := renderTry(t, docgen.Options{Endpoint: "/rpc", Live: true})
	if !strings.Contains(live, `"endpoint":"/rpc","live":true`) || !strings.Contains(live, `value="/rpc" readonly`) {
		t.Error("a live page does not fix its endpoint")
	}
}
