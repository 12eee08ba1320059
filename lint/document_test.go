package lint_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/lint"
)

// The shape of open-rpc/examples' simple-math: examples shared through
// components, whose names are their own ("two"), not the params' ("a").
const sharedExamplesDoc = `{
  "openrpc": "1.2.6",
  "info": {"title": "math", "version": "1"},
  "methods": [
    {"name": "addition", "params": [
      {"$ref": "#/components/contentDescriptors/a"},
      {"$ref": "#/components/contentDescriptors/b"}],
     "result": {"name": "sum", "schema": {"type": "integer"}},
     "examples": [{"name": "twoPlusTwo",
       "params": [{"$ref": "#/components/examples/integerTwo"}, {"$ref": "#/components/examples/integerTwo"}],
       "result": {"$ref": "#/components/examples/integerFour"}}]}
  ],
  "components": {
    "contentDescriptors": {
      "a": {"name": "a", "required": true, "schema": {"type": "integer"}},
      "b": {"name": "b", "required": true, "schema": {"type": "integer"}}
    },
    "examples": {
      "integerTwo": {"name": "two", "value": 2},
      "integerFour": {"name": "four", "value": 4}
    }
  }
}`

func TestCheck_examplesPairByPosition(t *testing.T) {
	if _, fs := check(t, sharedExamplesDoc); len(fs) != 0 {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
	// The second value is checked against the second param's schema.
	bad := strings.Replace(sharedExamplesDoc,
		`{"$ref": "#/components/examples/integerTwo"}, {"$ref": "#/components/examples/integerTwo"}`,
		`{"name": "x", "value": 2}, {"name": "a", "value": "2"}`, 1)
	_, fs := check(t, bad)
	if len(fs) != 1 || fs[0].Pointer != "/methods/0/examples/0/params/1/value" || fs[0].Keyword != "type" ||
		fs[0].Severity != lint.SeverityWarning {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
}

func TestCheck_severities(t *testing.T) {
	doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
	  "methods": [
	    {"name": "m", "params": [
	       {"name": "a", "schema": {"type": "string", "format": "hexadecimal"}},
	       {"name": "b", "required": true, "schema": {"$ref": "#/components/schemas/Nope"}}],
	     "examples": [{"name": "e", "params": [{"name": "a", "value": 1}], "result": {"name": "r", "value": 1}}]}]}`
	_, fs := check(t, doc)
	want := map[string]lint.Severity{
		"/methods/0/params/0/schema/format": lint.SeverityWarning, // unknown format
		"/methods/0/params/1/required":      lint.SeverityError,   // paramOrder
		"/methods/0/params/1/schema/$ref":   lint.SeverityError,   // dangling
	}
	if len(fs) != len(want) {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
	for _, f := range fs {
		if s, ok := want[f.Pointer]; !ok || s != f.Severity {
			t.Errorf("%s: severity %s, want %s", f, f.Severity, s)
		}
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []lint.Severity{lint.SeverityError, lint.SeverityWarning} {
		b, _ := s.MarshalText()
		var back lint.Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%s round-trips to %s, %v", s, back, err)
		}
	}
	var s lint.Severity
	if err := s.UnmarshalText([]byte("info")); err == nil {
		t.Error("UnmarshalText accepted \"info\"")
	}
}

func TestCheck_canceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	doc, fs, err := lint.Check(ctx, []byte(subtractDoc), lint.Options{})
	if !errors.Is(err, context.Canceled) || doc != nil || fs != nil {
		t.Fatalf("Check with a canceled context = %v, %v, %v", doc, fs, err)
	}
}

func TestCheck_serverURLs(t *testing.T) {
	for url, want := range map[string]int{
		"https://api.example.org/rpc":                         0,
		"http://${username}.example.org:${port}/${basePath}/": 0, // open-rpc/examples' simple-math
		"http://{host}:{port}/rpc":                            0,
		"/rpc":                                                0, // relative: allowed
		"http://HOST:PORT/rpc/":                               1, // a placeholder, not a URL
	} {
		doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"}, "methods": [],
		  "servers": [{"name": "s", "url": "` + url + `"}]}`
		_, fs := check(t, doc)
		if len(fs) != want {
			t.Errorf("%s: %s", url, findingsText(fs))
		}
		for _, f := range fs {
			if f.Severity != lint.SeverityWarning || f.Pointer != "/servers/0/url" {
				t.Errorf("%s: %s (severity %s)", url, f, f.Severity)
			}
		}
	}
}

func TestCheck_exampleTooComplexToCheck(t *testing.T) {
	for depth, complex := range map[int]bool{8: false, 18: true, 60: true} {
		start := time.Now()
		_, fs := check(t, chainDocument(depth))
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("depth %d: %v", depth, d)
		}
		if len(fs) == 0 || fs[0].Severity != lint.SeverityWarning || (fs[0].Keyword == "complexity") != complex {
			t.Errorf("depth %d: want one warning, too complex to check: %v\n%s", depth, complex, findingsText(fs))
		}
	}
}

func TestCheck_depthBound(t *testing.T) {
	start := time.Now()
	_, fs := check(t, nestedDocument(lint.MaxDepth))
	if len(fs) != 1 || fs[0].Keyword != "depth" || !strings.Contains(fs[0].Message, fmt.Sprintf("up to %d levels", lint.MaxDepth)) {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
	if _, fs := check(t, nestedDocument(40)); len(fs) != 0 {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
}

// TestCheck_leadingZeroIndexDoesNotResolve: RFC 6901 forbids leading zeros
// in array indices, so "/allOf/00" names nothing (lint used to read it as
// "/allOf/0", while docgen refused it).
func TestCheck_leadingZeroIndexDoesNotResolve(t *testing.T) {
	doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
	  "methods": [{"name": "m", "params": [{"name": "a", "schema": {"$ref": "#/components/schemas/T/allOf/%s"}}]}],
	  "components": {"schemas": {"T": {"allOf": [{"type": "string"}]}}}}`
	if _, fs := check(t, fmt.Sprintf(doc, "0")); len(fs) != 0 {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
	_, fs := check(t, fmt.Sprintf(doc, "00"))
	if len(fs) != 1 || fs[0].Keyword != "$ref" || !strings.Contains(fs[0].Message, `has no element "00"`) {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
}

// TestCheck_faultInSharedComponentReportedOnce: a component schema that
// does not compile is reported once, at the fault, not once per method
// that uses it.
func TestCheck_faultInSharedComponentReportedOnce(t *testing.T) {
	doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
	  "methods": [
	    {"name": "a", "params": [{"name": "x", "schema": {"$ref": "#/components/schemas/Bad"}}]},
	    {"name": "b", "params": [{"name": "y", "schema": {"$ref": "#/components/schemas/Bad"}}]}],
	  "components": {"schemas": {"Bad": {"type": "string", "minLength": "1", "pattern": "^[0-9a-zA-Z._-/]+$"}}}}`
	_, fs := check(t, doc)
	if len(fs) != 2 || fs[0].Pointer != "/components/schemas/Bad/minLength" || fs[1].Pointer != "/components/schemas/Bad/pattern" ||
		!strings.Contains(fs[1].Message, `"^[0-9a-zA-Z._-/]+$"`) {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
}

// An invalid patternProperties key is one finding, at that key (it was
// two, at "/components/schemas/P/type/[z-a]" and at a pointer made of
// stale pieces of other members).
func TestCheck_invalidPatternPropertiesKey(t *testing.T) {
	doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
	  "methods": [{"name": "m", "params": [{"name": "a", "schema": {"$ref": "#/components/schemas/P"}}]}],
	  "components": {"schemas": {"P": {"type": "object", "patternProperties": {"[z-a]": {"type": "string"}}}}}}`
	_, fs := check(t, doc)
	if len(fs) != 1 || fs[0].Pointer != "/components/schemas/P/patternProperties/[z-a]" || fs[0].Severity != lint.SeverityError {
		t.Fatalf("findings:\n%s", findingsText(fs))
	}
}
