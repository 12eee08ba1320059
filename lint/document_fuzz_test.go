package lint_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/docgen"
	"github.com/schemarpc/schemarpc/lint"
)

// seedDocuments are documents of our own shaped like the real ones that
// `validate` and `docs` meet: every version family, recursive schemas,
// references to references, shared examples, every JSON Schema keyword,
// large and deeply nested schemas, and broken ones.
func seedDocuments() []string {
	var docs []string
	for _, v := range []string{"1.0.0-rc0", "1.0.0-rc1", "1.0.0", "1.1.12", "1.2.4", "1.2.6", "1.3.2", "1.4.0"} {
		docs = append(docs, fmt.Sprintf(`{"openrpc": %q, "info": {"title": "t", "version": "1"}, "methods": []}`, v))
	}
	docs = append(docs,
		sharedExamplesDoc,
		subtractDoc,
		// Recursive schemas, a reference to a reference, a cycle of plain
		// references, refs through content descriptors, errors and examples.
		`{"openrpc": "1.2.6", "info": {"title": "rec", "version": "1"},
		  "methods": [
		    {"name": "tree", "params": [{"$ref": "#/components/contentDescriptors/Root"}],
		     "result": {"name": "t", "schema": {"$ref": "#/components/schemas/Alias"}},
		     "errors": [{"$ref": "#/components/errors/NotFound"}],
		     "examples": [{"$ref": "#/components/examplePairings/One"}]},
		    {"$ref": "#/components/methods/m"}],
		  "components": {
		    "schemas": {
		      "Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
		        "parent": {"oneOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]}}},
		      "Alias": {"$ref": "#/components/schemas/Alias2"}, "Alias2": {"$ref": "#/components/schemas/Node"},
		      "A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}},
		    "contentDescriptors": {"Root": {"name": "root", "required": true, "schema": {"$ref": "#/components/schemas/Node"}}},
		    "errors": {"NotFound": {"code": 404, "message": "not found", "data": {"$ref": "not/a/ref"}}},
		    "examples": {"node": {"name": "leaf", "value": {"children": []}}},
		    "examplePairings": {"One": {"name": "one", "params": [{"$ref": "#/components/examples/node"}],
		      "result": {"$ref": "#/components/examples/node"}}}}}`,
		// Every keyword, draft 2020-12 and draft-07 forms.
		`{"openrpc": "1.3.2", "info": {"title": "kw", "version": "1", "contact": {"email": "a@b.c", "url": "https://x.y"}},
		  "servers": [{"name": "s", "url": "https://{host}/rpc", "variables": {"host": {"default": "x"}}}],
		  "methods": [{"name": "all", "paramStructure": "by-name", "tags": [{"name": "t"}], "deprecated": true,
		    "params": [
		      {"name": "s", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 9, "pattern": "^(?=a)\\w+$", "format": "uuid", "enum": ["a"], "const": "a", "default": "a"}},
		      {"name": "n", "schema": {"type": ["integer", "null"], "minimum": 0, "exclusiveMaximum": 9, "multipleOf": 3}},
		      {"name": "o", "schema": {"type": "object", "properties": {"a": true}, "patternProperties": {"^x-": {"type": "string"}},
		        "additionalProperties": false, "required": ["a"], "minProperties": 1, "maxProperties": 4, "propertyNames": {"maxLength": 3},
		        "dependentRequired": {"a": ["b"]}, "dependentSchemas": {"a": {}}, "unevaluatedProperties": false,
		        "if": {"required": ["a"]}, "then": {"required": ["a"]}, "else": false}},
		      {"name": "a", "schema": {"type": "array", "prefixItems": [{"type": "integer"}], "items": {"type": "string"}, "contains": {"type": "string"},
		        "minContains": 1, "maxContains": 2, "minItems": 1, "maxItems": 3, "uniqueItems": true, "unevaluatedItems": false}},
		      {"name": "d7", "schema": {"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "integer"}], "additionalItems": false,
		        "definitions": {"x": {"type": "string"}}, "dependencies": {"a": ["b"]}}},
		      {"name": "c", "schema": {"allOf": [{"$ref": "#/components/schemas/X"}], "anyOf": [{}, true], "oneOf": [{"type": "null"}, {"not": {"type": "null"}}],
		        "$defs": {"y": {"$anchor": "why", "type": "string"}}, "contentEncoding": "base64", "contentMediaType": "application/json",
		        "readOnly": true, "writeOnly": false, "deprecated": true, "title": "c", "description": "d", "examples": [1]}}
		    ],
		    "result": {"name": "r", "schema": {"$ref": "#/components/schemas/X"}},
		    "examples": [{"name": "e", "params": [{"name": "x", "value": "a"}], "result": {"name": "r", "value": {"x": 1}}}]}],
		  "components": {"schemas": {"X": {"type": "object", "properties": {"x": {"type": "integer"}}}}}}`,
		// Broken: wrong-typed keywords shared by two methods, an invalid
		// pattern, a dangling reference, duplicates, a required param after
		// an optional one.
		`{"openrpc": "1.3.2", "info": {"title": "bad", "version": "1"},
		  "methods": [
		    {"name": "m", "params": [{"name": "a", "schema": {"$ref": "#/components/schemas/Bad"}}, {"name": "a", "required": true, "schema": {"pattern": "^[0-9a-zA-Z._-/]+$"}}]},
		    {"name": "m", "params": [{"name": "b", "schema": {"$ref": "#/components/schemas/Bad"}}], "result": {"name": "r", "schema": {"$ref": "#/components/schemas/Nope"}}}],
		  "components": {"schemas": {"Bad": {"required": [1], "minLength": "1", "enum": "x", "properties": [], "allOf": {}, "uniqueItems": "x"}}}}`,
		chainDocument(6),
		nestedDocument(60),
		largeDocument(40),
		`{"openrpc": "1.3.2", "methods": [{"name": "m", "params": [{"name": "p"}], "examples": [{"name": "e", "params": [1, {"value": 1}]}]}]}`,
		`[]`, `"openrpc"`, `{"openrpc": 1.3}`, `{"methods": {"name": "m"}}`, "{\"openrpc\": \"1.3.2\", \"info\": \xff}",
	)
	return docs
}

// chainDocument returns a document whose schemas chain
// anyOf: [$ref next, $ref next, null] depth deep, with an example that
// walks the whole chain.
func chainDocument(depth int) string {
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

// nestedDocument returns a document with a param schema nested depth
// levels deep (object in array in object...), and an example as deep.
func nestedDocument(depth int) string {
	schema := `{"type": "string"}`
	value := `"x"`
	for i := range depth {
		if i%2 == 0 {
			schema = `{"type": "object", "properties": {"a": ` + schema + `}}`
			value = `{"a": ` + value + `}`
		} else {
			schema = `{"type": "array", "items": ` + schema + `}`
			value = `[` + value + `]`
		}
	}
	return `{"openrpc": "1.3.2", "info": {"title": "deep", "version": "1"},
	  "methods": [{"name": "m", "params": [{"name": "x", "schema": ` + schema + `}],
	    "examples": [{"name": "e", "params": [{"name": "x", "value": ` + value + `}]}]}]}`
}

// largeDocument returns a document of n methods sharing n schemas.
func largeDocument(n int) string {
	var methods, schemas []string
	for i := range n {
		methods = append(methods, fmt.Sprintf(`{"name": "m%d", "summary": "method %d", "params": [{"name": "p", "required": true, "schema": {"$ref": "#/components/schemas/T%d"}}],
		  "result": {"name": "r", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/T%d"}}},
		  "examples": [{"name": "e", "params": [{"name": "p", "value": {"id": %d}}], "result": {"name": "r", "value": [{"id": %d}]}}]}`, i, i, i, (i+1)%n, i, i))
		schemas = append(schemas, fmt.Sprintf(`"T%d": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}, "next": {"$ref": "#/components/schemas/T%d"}}}`, i, (i+1)%n))
	}
	return `{"openrpc": "1.3.2", "info": {"title": "large", "version": "1"}, "methods": [` + strings.Join(methods, ",") +
		`], "components": {"schemas": {` + strings.Join(schemas, ",") + `}}}`
}

// FuzzDocument runs the document checks of `schemarpc validate` and both
// renderers of `schemarpc docs` on arbitrary bytes. None may panic; every
// finding is complete; a document with no error renders in both formats,
// and only input that is not a JSON object is refused by docgen.
func FuzzDocument(f *testing.F) {
	for _, d := range seedDocuments() {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		doc, findings, err := lint.Check(ctx, data, lint.Options{Name: "in.json"})
		if err != nil {
			t.Fatalf("Check: %v", err)
		}
		errs := 0
		for _, fd := range findings {
			if fd.File == "" || fd.Keyword == "" || fd.Keyword == "internal" || fd.Message == "" || fd.Severity > lint.SeverityWarning {
				t.Fatalf("malformed finding %+v", fd)
			}
			if fd.Severity == lint.SeverityError {
				errs++
			}
		}
		for _, format := range []docgen.Format{docgen.Markdown, docgen.HTML} {
			var out bytes.Buffer
			err := docgen.Render(ctx, &out, data, docgen.Options{Format: format})
			switch {
			case doc != nil && err != nil:
				t.Fatalf("Render(%s) of a JSON object: %v", format, err)
			case doc == nil && err == nil:
				t.Fatalf("Render(%s) accepted what Check refused: %v", format, findings)
			case doc != nil && errs == 0 && out.Len() == 0:
				t.Fatalf("Render(%s) of a valid document wrote nothing", format)
			}
		}
	})
}
