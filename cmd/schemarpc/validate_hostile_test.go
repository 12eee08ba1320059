package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeDoc writes doc to a file of its own and returns its path.
func writeDoc(t testing.TB, name, doc string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// runBounded runs the CLI and fails the test when it takes longer than
// limit, or exits 2 (a usage error, or a panic turned into one).
func runBounded(t *testing.T, limit time.Duration, args ...string) result {
	t.Helper()
	start := time.Now()
	r := run(t, nil, args...)
	if d := time.Since(start); d > limit {
		t.Errorf("%s took %v, more than %v", strings.Join(args, " "), d.Round(time.Millisecond), limit)
	}
	if r.code == 2 || strings.Contains(r.stdout, ": internal: ") {
		t.Errorf("exit %d, or a failure of the checker itself:\n%s", r.code, r)
	}
	return r
}

// TestValidate_wrongTypedKeywordsSharedTwice: a component schema whose
// keyword has the wrong type, referenced from two methods, is a compile
// error naming the schema, not a panic (issue 12, item 3).
func TestValidate_wrongTypedKeywordsSharedTwice(t *testing.T) {
	for _, kw := range []string{
		`"required": [1]`, `"required": "a"`, `"minLength": "1"`, `"maxLength": -1`, `"minimum": "0"`,
		`"enum": "x"`, `"enum": []`, `"maxItems": "2"`, `"properties": []`, `"properties": {"a": 1}`,
		`"allOf": {}`, `"allOf": []`, `"anyOf": [1]`, `"oneOf": "x"`, `"not": []`, `"items": 1`,
		`"uniqueItems": "x"`, `"type": "strin"`, `"type": 1`, `"pattern": 1`, `"format": 1`,
		`"additionalProperties": []`, `"patternProperties": {"(": {}}`, `"multipleOf": 0`,
		`"minItems": 1.5`, `"dependencies": {"a": 1}`, `"additionalItems": 1`, `"contains": 1`,
		`"if": 1`, `"$ref": 1`, `"propertyNames": []`, `"definitions": []`, `"exclusiveMinimum": true`, `"maxProperties": "2"`,
	} {
		t.Run(kw, func(t *testing.T) {
			doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
			  "methods": [
			    {"name": "a", "params": [{"name": "x", "schema": {"$ref": "#/components/schemas/Bad"}}]},
			    {"name": "b", "params": [{"name": "y", "schema": {"$ref": "#/components/schemas/Bad"}}],
			     "result": {"name": "r", "schema": {"$ref": "#/components/schemas/Bad"}}}],
			  "components": {"schemas": {"Bad": {` + kw + `}}}}`
			r := runBounded(t, 10*time.Second, "validate", writeDoc(t, "bad.json", doc))
			if r.code != 1 || !strings.Contains(r.stdout, "error: ") {
				t.Errorf("want exit 1 with an error:\n%s", r)
			}
		})
	}
}

// TestValidate_invalidPattern: an invalid ECMA-262 pattern, even shared by
// two methods, is an error naming the pointer and the pattern (issue 11,
// item 1).
func TestValidate_invalidPattern(t *testing.T) {
	doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
	  "methods": [
	    {"name": "a", "params": [{"name": "x", "schema": {"$ref": "#/components/schemas/Path"}}]},
	    {"name": "b", "params": [{"name": "y", "schema": {"type": "object", "patternProperties": {"^[0-9a-zA-Z._-/]+$": {"$ref": "#/components/schemas/Path"}}}}]}],
	  "components": {"schemas": {"Path": {"type": "string", "pattern": "^[0-9a-zA-Z._-/]+$"}}}}`
	r := runBounded(t, 10*time.Second, "validate", writeDoc(t, "pattern.json", doc))
	if r.code != 1 {
		t.Fatalf("want exit 1:\n%s", r)
	}
	for _, want := range []string{"/components/schemas/Path/pattern", `^[0-9a-zA-Z._-/]+$`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("no finding names %q:\n%s", want, r)
		}
	}
	if err := docsRender(t, doc); err != nil {
		t.Errorf("docs: %v", err)
	}
}

// TestValidate_ecmaPatterns: patterns that are valid ECMA-262 but not RE2
// (a lookahead, a backreference) are not errors, and examples are checked
// against them.
func TestValidate_ecmaPatterns(t *testing.T) {
	doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
	  "methods": [{"name": "a", "params": [
	    {"name": "x", "required": true, "schema": {"type": "string", "pattern": "^(?!0x)\\w+$"}},
	    {"name": "y", "required": true, "schema": {"type": "string", "pattern": "^(a)\\1$"}}],
	   "examples": [{"name": "e", "params": [{"name": "one", "value": "0xab"}, {"name": "two", "value": "aa"}]}]}]}`
	r := runBounded(t, 10*time.Second, "validate", writeDoc(t, "ecma.json", doc))
	if r.code != 0 || strings.Count(r.stdout, "warning: ") != 1 || !strings.Contains(r.stdout, "/methods/0/examples/0/params/0/value: pattern") {
		t.Fatalf("want exit 0 and one warning on the first example value:\n%s", r)
	}
}

// chainDoc returns a document whose schemas chain
// anyOf: [$ref next, $ref next, null] depth deep, with an example that
// must walk every branch to fail.
func chainDoc(depth int) string {
	var schemas []string
	for i := range depth {
		schemas = append(schemas, fmt.Sprintf(`"S%d": {"anyOf": [{"$ref": "#/components/schemas/S%d"}, {"$ref": "#/components/schemas/S%d"}, {"type": "null"}]}`, i, i+1, i+1))
	}
	schemas = append(schemas, fmt.Sprintf(`"S%d": {"type": "integer", "minimum": 1}`, depth))
	return `{"openrpc": "1.3.2", "info": {"title": "chain", "version": "1"},
	  "methods": [{"name": "m", "params": [{"name": "x", "schema": {"$ref": "#/components/schemas/S0"}}],
	    "examples": [{"name": "e", "params": [{"name": "x", "value": 0}]}]}],
	  "components": {"schemas": {` + strings.Join(schemas, ",") + `}}}`
}

// TestValidate_exponentialExampleCheck: examples against a chain of
// anyOf that doubles at each level (2.3 KB, 18 deep; and 40 deep) finish
// fast, checked or reported as too complex (issue 12, item 4).
func TestValidate_exponentialExampleCheck(t *testing.T) {
	for _, depth := range []int{18, 40} {
		t.Run(fmt.Sprint(depth), func(t *testing.T) {
			r := runBounded(t, 10*time.Second, "validate", writeDoc(t, "chain.json", chainDoc(depth)))
			if r.code != 0 || !strings.Contains(r.stdout, "warning: ") {
				t.Fatalf("want exit 0 with a warning (the example fails, or is too complex to check):\n%s", r)
			}
		})
	}
}

// nestedDoc returns a document whose param schema, and example, nest
// depth levels deep.
func nestedDoc(depth int) string {
	schema, value := `{"type": "string"}`, `"x"`
	for range depth {
		schema = `{"type": "object", "properties": {"a": ` + schema + `}}`
		value = `{"a": ` + value + `}`
	}
	return `{"openrpc": "1.3.2", "info": {"title": "deep", "version": "1"},
	  "methods": [{"name": "m", "params": [{"name": "x", "schema": ` + schema + `}],
	    "examples": [{"name": "e", "params": [{"name": "x", "value": ` + value + `}]}]}]}`
}

// TestValidate_deepNesting: 500 and 1,000 levels of nesting finish fast,
// valid or refused with a clear finding (issue 12, item 5); 10,000 levels
// are refused.
func TestValidate_deepNesting(t *testing.T) {
	for _, depth := range []int{500, 1000, 10000} {
		t.Run(fmt.Sprint(depth), func(t *testing.T) {
			path := writeDoc(t, "deep.json", nestedDoc(depth))
			r := runBounded(t, 10*time.Second, "validate", path)
			if r.code != 0 && !strings.Contains(r.stdout, "deep") {
				t.Fatalf("want exit 0, or a finding that says the document is too deep:\n%s", r)
			}
			if r.code == 0 {
				if d := run(t, nil, "docs", path); d.code != 0 {
					t.Errorf("docs does not render a document validate accepts:\n%s", d)
				}
			}
		})
	}
}

// TestValidateAndDocs_stopWhenCanceled: validate and docs stop at once
// when their context is done (Ctrl-C, SIGTERM), with the context's error.
func TestValidateAndDocs_stopWhenCanceled(t *testing.T) {
	path := writeDoc(t, "large.json", chainDoc(10))
	for _, args := range [][]string{{"validate", path}, {"docs", path}} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		cmd := newRootCmd()
		cmd.SetOut(&bytes.Buffer{})
		cmd.SetErr(&bytes.Buffer{})
		cmd.SetArgs(args)
		if err := cmd.ExecuteContext(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a canceled context: %v", args[0], err)
		}
	}
}

// docsRender renders doc with the docs command in both formats.
func docsRender(t *testing.T, doc string) error {
	path := writeDoc(t, "docs.json", doc)
	for _, format := range []string{"markdown", "html"} {
		if r := run(t, nil, "docs", "--format", format, path); r.code != 0 {
			return fmt.Errorf("%s: %s", format, r)
		}
	}
	return nil
}
