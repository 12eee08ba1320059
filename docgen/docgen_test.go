package docgen_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/docgen"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// render runs Render and returns the output and the warnings.
func render(t *testing.T, doc []byte, opts docgen.Options) (string, []string) {
	t.Helper()
	var warnings []string
	opts.Warn = func(msg string) { warnings = append(warnings, msg) }
	var buf bytes.Buffer
	if err := docgen.Render(context.Background(), &buf, doc, opts); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return buf.String(), warnings
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkGolden compares got with testdata/golden/name, rewriting it when
// -update is set.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from golden file; run go test -update and review the diff\n%s", name, firstDiff(string(want), got))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant: %q\n got: %q", i+1, w, g)
		}
	}
	return ""
}

type fixture struct {
	name    string // golden file prefix
	file    string // input below testdata
	baseDir string
}

var fixtures = []fixture{
	{name: "full", file: "full.json"},
	{name: "recursive", file: "recursive.json"},
	{name: "external", file: "external/main.json", baseDir: "testdata/external"},
	{name: "rc1", file: "rc1.json"},
	{name: "v14", file: "v14.json"},
}

func TestGolden(t *testing.T) {
	for _, f := range fixtures {
		t.Run(f.name, func(t *testing.T) {
			doc := readFile(t, f.file)
			var allWarnings []string
			for _, format := range []docgen.Format{docgen.Markdown, docgen.HTML} {
				out, warnings := render(t, doc, docgen.Options{Format: format, BaseDir: f.baseDir})
				ext := ".md"
				if format == docgen.HTML {
					ext = ".html"
				}
				checkGolden(t, f.name+ext, out)
				if allWarnings == nil {
					allWarnings = warnings
				} else if strings.Join(allWarnings, "\n") != strings.Join(warnings, "\n") {
					t.Errorf("warnings differ between formats:\n%q\n%q", allWarnings, warnings)
				}
			}
			checkGolden(t, f.name+".warnings.txt", strings.Join(allWarnings, "\n")+"\n")
		})
	}
}

func TestDeterministic(t *testing.T) {
	for _, f := range fixtures {
		doc := readFile(t, f.file)
		for _, format := range []docgen.Format{docgen.Markdown, docgen.HTML} {
			first, _ := render(t, doc, docgen.Options{Format: format, BaseDir: f.baseDir})
			for range 3 {
				if again, _ := render(t, doc, docgen.Options{Format: format, BaseDir: f.baseDir}); again != first {
					t.Fatalf("%s/%s: output is not deterministic", f.name, format)
				}
			}
		}
	}
}

// section returns the Markdown between the anchor id and the next anchor.
func section(t *testing.T, md, id string) string {
	t.Helper()
	start := strings.Index(md, `<a id="`+id+`"></a>`)
	if start < 0 {
		t.Fatalf("no section %q", id)
	}
	rest := md[start+len(id)+len(`<a id=""></a>`):]
	if end := strings.Index(rest, "<a id="); end >= 0 {
		rest = rest[:end]
	}
	return rest
}

func TestFullDocument(t *testing.T) {
	md, warnings := render(t, readFile(t, "full.json"), docgen.Options{})
	if len(warnings) != 0 {
		t.Errorf("unexpected warnings: %q", warnings)
	}
	create := section(t, md, "method-pet_create")
	for _, want := range []string{
		"| `name` | string | yes | pattern: `^[a-z\\|A-Z]+$`<br>minLength: `1`<br>maxLength: `64` | Pet name.<br>Shown to <b>customers</b> \\| trimmed. |",
		"exclusiveMaximum: `100`",
		"default: `1`",
		"enum: `[\"cat\", \"dog\", \"bird\"]`",
		"| `owner` | string | no | format: `email`<br>maxLength: `254` | Owner of the pet. |", // contentDescriptor $ref
		"| `address.geo.lat` | number |",
		"array\\<string\\>",
		"string \\| null",
		"deprecated<br>const: `\"hi\"`",
		"| `pet` | [Pet](#schema-pet) |",
		"| 409 | Duplicate name | `\"the name is taken\"` |", // error $ref
		"Tags: `pets`, `write`",                              // tag $ref
		`"kind": "cat"`,                                      // components/examples $ref
		"result: external value https://example.com/rex.json",
	} {
		if !strings.Contains(create, want) {
			t.Errorf("pet_create section lacks %q", want)
		}
	}
	// By-name example: keys are the method's parameter names.
	if !strings.Contains(create, "\"params\": {\n    \"name\": \"Tom\",\n    \"age\": 3,\n    \"kind\": \"cat\"\n  }") {
		t.Errorf("by-name example params not rendered as object:\n%s", create)
	}
	get := section(t, md, "method-pet_get")
	if !strings.Contains(get, "\"params\": [\n    7,\n    [\n      \"name\",\n      \"kind\"\n    ]\n  ]") {
		t.Errorf("by-position example params not rendered as array:\n%s", get)
	}
	if !strings.Contains(get, "oneOf([Pet](#schema-pet), null)") {
		t.Errorf("oneOf type not rendered:\n%s", get)
	}
	feed := section(t, md, "method-pet_feed")
	if !strings.Contains(feed, "> **Deprecated.**") {
		t.Error("deprecated marker missing")
	}
	if !strings.Contains(feed, `[Food/Dry](#schema-food-dry)`) {
		t.Errorf("~1-escaped $ref not resolved:\n%s", feed)
	}
	if strings.Contains(feed, `"id"`) {
		t.Error("notification example must not carry an id")
	}
	// Each shared schema is rendered exactly once.
	for _, id := range []string{"schema-pet", "schema-petid", "schema-field", "schema-food-dry"} {
		if n := strings.Count(md, `<a id="`+id+`">`); n != 1 {
			t.Errorf("schema anchor %s appears %d times", id, n)
		}
	}
	// Table of contents lists methods before schemas.
	toc := md[strings.Index(md, "## Contents"):strings.Index(md, `<a id="methods">`)]
	if strings.Index(toc, "#method-pet_count") > strings.Index(toc, "#schema-pet)") {
		t.Error("table of contents must list methods before schemas")
	}
}

func TestRecursiveSchemas(t *testing.T) {
	doc := readFile(t, "recursive.json")
	done := make(chan string, 1)
	go func() {
		var buf bytes.Buffer
		if err := docgen.Render(context.Background(), &buf, doc, docgen.Options{}); err != nil {
			buf.Reset()
			buf.WriteString("error: " + err.Error())
		}
		done <- buf.String()
	}()
	var md string
	select {
	case md = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("rendering recursive schemas did not finish")
	}
	if strings.HasPrefix(md, "error: ") {
		t.Fatal(md)
	}
	node := section(t, md, "schema-node")
	for _, want := range []string{"array\\<[Node](#schema-node)\\>", "oneOf([Node](#schema-node), null)"} {
		if !strings.Contains(node, want) {
			t.Errorf("Node section lacks self link %q:\n%s", want, node)
		}
	}
	if !strings.Contains(section(t, md, "schema-a"), "[B](#schema-b)") {
		t.Error("A does not link to B")
	}
	if !strings.Contains(section(t, md, "schema-b"), "[A](#schema-a)") {
		t.Error("B does not link to A")
	}
	if !strings.Contains(section(t, md, "schema-self"), "Type: [Self](#schema-self)") {
		t.Error("a schema that is only a reference to itself must link to itself")
	}
	inline := section(t, md, "method-tree_inline")
	if !strings.Contains(inline, "`filter.l1.l2.l3`") || strings.Contains(inline, "`filter.l1.l2.l3.l4`") {
		t.Errorf("inline expansion depth is not bounded as expected:\n%s", inline)
	}
}

func TestExternalRefs(t *testing.T) {
	md, warnings := render(t, readFile(t, "external/main.json"), docgen.Options{BaseDir: "testdata/external"})
	joined := strings.Join(warnings, "\n")
	for _, want := range []string{"missing.json", "DoesNotExist", "../full.json"} {
		if !strings.Contains(joined, want) {
			t.Errorf("no warning mentioning %q in %q", want, warnings)
		}
	}
	for _, want := range []string{
		`unresolved $ref missing.json#/components/schemas/Ghost`,
		`unresolved $ref #/components/schemas/DoesNotExist`,
		"| `limit` | integer | yes | minimum: `1`<br>maximum: `100` |",
		"[Animal](#schema-animal)",
		"[Pet](#schema-pet)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	pet := section(t, md, "schema-pet")
	if !strings.Contains(pet, "Defined at `schemas/pet.json#`") || !strings.Contains(pet, "| `self` | [Pet](#schema-pet) |") {
		t.Errorf("external whole-file schema not rendered once with a self link:\n%s", pet)
	}
	// schemas/pet.json is referenced three times but rendered once.
	if n := strings.Count(md, "### Pet\n"); n != 1 {
		t.Errorf("Pet rendered %d times", n)
	}

	// Without BaseDir, references to other files are reported, not read.
	md, warnings = render(t, readFile(t, "external/main.json"), docgen.Options{})
	if !strings.Contains(md, "unresolved $ref schemas.json#/components/schemas/Animal") || len(warnings) == 0 {
		t.Errorf("external refs must be unresolved without BaseDir; warnings: %q", warnings)
	}
}

func TestInvalidDocument(t *testing.T) {
	for _, doc := range []string{``, `{`, `{"openrpc": }`, `[]`, `"openrpc"`, `null`, `42`, `{} {}`, `{"a":1}x`} {
		var buf bytes.Buffer
		err := docgen.Render(context.Background(), &buf, []byte(doc), docgen.Options{})
		if !errors.Is(err, docgen.ErrInvalidDocument) {
			t.Errorf("Render(%q) error = %v, want ErrInvalidDocument", doc, err)
		}
		if buf.Len() != 0 {
			t.Errorf("Render(%q) wrote output despite failing", doc)
		}
	}
	if err := docgen.Render(context.Background(), &bytes.Buffer{}, []byte(`{}`), docgen.Options{Format: "pdf"}); err == nil {
		t.Error("unknown format accepted")
	}
	if err := docgen.Render(context.Background(), &bytes.Buffer{}, []byte(`{}`), docgen.Options{BaseDir: "testdata/no-such-dir"}); err == nil {
		t.Error("missing BaseDir accepted")
	}
}

func TestLooseParsing(t *testing.T) {
	// Odd but valid JSON must not crash the renderer.
	docs := []string{
		`{}`,
		`{"methods": {}}`,
		`{"methods": [1, "x", null, {"name": 5}, {"$ref": "#/nowhere"}]}`,
		`{"methods": [{"name": "m", "params": [7, {"name": "p", "schema": [1]}], "result": 1, "errors": [1], "examples": [1, {"params": [1, {"$ref": "#/x"}], "result": 2}]}]}`,
		`{"components": {"schemas": {"A": 1, "B": true, "C": false, "D": {"type": 5, "items": [true], "enum": [1, "a", null]}}}}`,
		`{"methods": [{"$ref": "#/methods/0"}]}`,
	}
	for _, doc := range docs {
		for _, format := range []docgen.Format{docgen.Markdown, docgen.HTML} {
			var buf bytes.Buffer
			if err := docgen.Render(context.Background(), &buf, []byte(doc), docgen.Options{Format: format}); err != nil {
				t.Errorf("Render(%s, %s): %v", doc, format, err)
			}
		}
	}
}

func TestTitleOverride(t *testing.T) {
	md, _ := render(t, []byte(`{"info": {"title": "Original"}}`), docgen.Options{Title: "Custom *docs*"})
	if !strings.HasPrefix(md, "# Custom \\*docs\\*\n") {
		t.Errorf("title not overridden: %q", md[:40])
	}
	md, _ = render(t, []byte(`{}`), docgen.Options{})
	if !strings.HasPrefix(md, "# API Reference\n") {
		t.Errorf("missing default title: %q", md[:40])
	}
}

var (
	networkRef = regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?\s*(https?:)?//`)
	hrefAttr   = regexp.MustCompile(`(?i)\bhref="([^"]*)"`)
)

func TestHTMLSelfContained(t *testing.T) {
	for _, f := range fixtures {
		out, _ := render(t, readFile(t, f.file), docgen.Options{Format: docgen.HTML, BaseDir: f.baseDir})
		lower := strings.ToLower(out)
		// Two scripts, both inline: the page's config (JSON) and its code.
		if n := strings.Count(lower, "<script"); n != 2 || strings.Count(lower, "<script>") != 1 ||
			strings.Count(lower, `<script type="application/json" id="schemarpc-config">`) != 1 {
			t.Errorf("%s: want one inline script and one JSON config, got %d script elements", f.name, n)
		}
		if networkRef.MatchString(out) {
			t.Errorf("%s: HTML loads a network resource: %q", f.name, networkRef.FindString(out))
		}
		// The only <link> is the empty data: icon that stops the browser
		// asking the server for /favicon.ico.
		if strings.Count(lower, "<link") != 1 || !strings.Contains(out, `<link rel="icon" href="data:,">`) {
			t.Errorf("%s: want exactly the data: icon link", f.name)
		}
		for _, tag := range []string{"<img", "<iframe", "@import", " src="} {
			if strings.Contains(lower, tag) {
				t.Errorf("%s: HTML contains %q", f.name, tag)
			}
		}
		style := lower[strings.Index(lower, "<style>"):strings.Index(lower, "</style>")]
		if strings.Contains(style, "url(") {
			t.Errorf("%s: the style sheet loads a resource", f.name)
		}
		for _, m := range hrefAttr.FindAllStringSubmatch(out, -1) {
			if !strings.HasPrefix(m[1], "#") && m[1] != "data:," {
				t.Errorf("%s: link %q is not a same-page fragment", f.name, m[1])
			}
		}
		if !strings.HasPrefix(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">") ||
			!strings.HasSuffix(strings.TrimSpace(out), "</html>") || strings.Count(out, "<style>") != 1 {
			t.Errorf("%s: unexpected document structure", f.name)
		}
		// Every fragment link has a target.
		for _, m := range hrefAttr.FindAllStringSubmatch(out, -1) {
			if m[1] == "data:," {
				continue
			}
			if id := strings.TrimPrefix(m[1], "#"); !strings.Contains(out, `id="`+id+`"`) {
				t.Errorf("%s: dangling link %q", f.name, m[1])
			}
		}
	}
	out, _ := render(t, readFile(t, "full.json"), docgen.Options{Format: docgen.HTML})
	if !strings.Contains(out, "A pet &lt;script&gt;alert(1)&lt;/script&gt; in the store.") {
		t.Error("description text is not HTML-escaped")
	}
}

func TestMarkdownLinksResolve(t *testing.T) {
	link := regexp.MustCompile(`\]\(#([^)]+)\)`)
	for _, f := range fixtures {
		md, _ := render(t, readFile(t, f.file), docgen.Options{BaseDir: f.baseDir})
		for _, m := range link.FindAllStringSubmatch(md, -1) {
			if !strings.Contains(md, `<a id="`+m[1]+`"></a>`) {
				t.Errorf("%s: dangling link #%s", f.name, m[1])
			}
		}
	}
}

// synthetic builds a document with n methods and n heavily cross-referenced
// schemas, including self references and reference cycles.
func synthetic(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"openrpc":"1.2.6","info":{"title":"Synthetic","version":"1"},"methods":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"m%d","params":[{"name":"a","schema":{"$ref":"#/components/schemas/S%d"}},{"name":"b","schema":{"type":"object","properties":{"x":{"$ref":"#/components/schemas/S%d"},"y":{"type":"array","items":{"$ref":"#/components/schemas/S%d"}}}}}],"result":{"name":"r","schema":{"oneOf":[{"$ref":"#/components/schemas/S%d"},{"type":"null"}]}},"examples":[{"name":"e","params":[{"name":"a","value":{"id":%d}}],"result":{"name":"r","value":null}}]}`,
			i, i, (i+1)%n, (i+7)%n, (i*13)%n, i)
	}
	b.WriteString(`],"components":{"schemas":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"S%d":{"type":"object","properties":{"self":{"$ref":"#/components/schemas/S%d"},"next":{"$ref":"#/components/schemas/S%d"},"prev":{"type":"array","items":{"$ref":"#/components/schemas/S%d"}},"any":{"anyOf":[{"$ref":"#/components/schemas/S%d"},{"$ref":"#/components/schemas/S%d"}]},"all":{"allOf":[{"$ref":"#/components/schemas/S%d"},{"type":"object","properties":{"z":{"$ref":"#/components/schemas/S%d"}}}]}}}`,
			i, i, (i+1)%n, (i+n-1)%n, (i*3)%n, (i*5)%n, (i*11)%n, (i*17)%n)
	}
	b.WriteString(`}}}`)
	return []byte(b.String())
}

func TestLargeSyntheticDocument(t *testing.T) {
	const n = 200
	doc := synthetic(n)
	for _, format := range []docgen.Format{docgen.Markdown, docgen.HTML} {
		start := time.Now()
		out, warnings := render(t, doc, docgen.Options{Format: format})
		elapsed := time.Since(start)
		if len(warnings) > 0 {
			t.Errorf("%s: unexpected warnings %q", format, warnings[:1])
		}
		if elapsed > 10*time.Second {
			t.Errorf("%s: rendering took %v", format, elapsed)
		}
		// Output grows linearly: a few KB per method plus schema.
		if limit := 2 * n * 4096; len(out) > limit {
			t.Errorf("%s: output is %d bytes, want at most %d", format, len(out), limit)
		}
		for _, i := range []int{0, 99, n - 1} {
			id := fmt.Sprintf(`id="schema-s%d"`, i)
			if c := strings.Count(out, id); c != 1 {
				t.Errorf("%s: %s appears %d times", format, id, c)
			}
		}
		t.Logf("%s: %d bytes in %v", format, len(out), elapsed)
	}
}

func BenchmarkRenderSynthetic(b *testing.B) {
	doc := synthetic(200)
	for b.Loop() {
		if err := docgen.Render(context.Background(), &bytes.Buffer{}, doc, docgen.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDeepExamplesStayLinear: an example nested thousands of levels deep
// renders in output proportional to its size (its indentation would
// otherwise be quadratic: 200 MB for a 195 KB document), and nesting past
// encoding/json's bound of 10,000 levels is an invalid document.
func TestDeepExamplesStayLinear(t *testing.T) {
	deep := func(depth int) []byte {
		v := `"x"`
		for range depth {
			v = `{"a": ` + v + `}`
		}
		return []byte(`{"openrpc": "1.3.2", "info": {"title": "deep", "version": "1"}, "methods": [{"name": "m",
		  "params": [{"name": "x", "schema": {}}], "examples": [{"name": "e", "params": [{"name": "x", "value": ` + v + `}]}]}]}`)
	}
	doc := deep(5000)
	for _, format := range []docgen.Format{docgen.Markdown, docgen.HTML} {
		var buf bytes.Buffer
		if err := docgen.Render(context.Background(), &buf, doc, docgen.Options{Format: format}); err != nil {
			t.Fatal(err)
		}
		if buf.Len() > 20*len(doc) {
			t.Errorf("%s: %d bytes of output for %d of input", format, buf.Len(), len(doc))
		}
	}
	err := docgen.Render(context.Background(), &bytes.Buffer{}, deep(10001), docgen.Options{})
	if !errors.Is(err, docgen.ErrInvalidDocument) {
		t.Errorf("10,001 levels: %v, want ErrInvalidDocument", err)
	}
}
