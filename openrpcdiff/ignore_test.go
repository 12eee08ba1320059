package openrpcdiff

import (
	"os"
	"strings"
	"testing"
)

func TestParseIgnore(t *testing.T) {
	rules, err := ParseIgnore(strings.NewReader("# comment\n\nparam-removed\tparam   the  reason, kept whole \nmethod-removed * all gone\n"), "x")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 2 || rules[0].Kind != "param-removed" || rules[0].Method != "param" || rules[0].Reason != "the  reason, kept whole" ||
		rules[0].Line != 3 || rules[1].Method != "*" {
		t.Fatalf("%+v %+v", rules[0], rules[1])
	}
	fs := []Finding{{Kind: "param-removed", Method: "param"}, {Kind: "param-removed", Method: "other"}, {Kind: "method-removed", Method: "m"}}
	Apply(fs, rules)
	if fs[0].Ignored == "" || fs[1].Ignored != "" || fs[2].Ignored != "all gone" || !rules[0].Used || !rules[1].Used {
		t.Errorf("%+v", fs)
	}
	if c := Count(fs); c.Ignored != 2 || c.Info != 1 {
		t.Errorf("%+v", c)
	}
	for _, bad := range []string{"method-removed foo\n", "nope foo reason\n"} {
		if _, err := ParseIgnore(strings.NewReader(bad), "f"); err == nil || !strings.Contains(err.Error(), "f:1:") {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestGitHubEscapes(t *testing.T) {
	var b strings.Builder
	WriteGitHub(&b, "a,b:c.json", []Finding{{Severity: Breaking, Kind: "method-removed", Method: "x", Message: "100%\nsure"}})
	if !strings.HasPrefix(b.String(), "::error file=a%2Cb%3Ac.json,title=method-removed (x)::100%25%0Asure") {
		t.Error(b.String())
	}
}

// TestKindsDocumented: the package documentation lists every kind with
// its severity, and every kind appears once.
func TestKindsDocumented(t *testing.T) {
	data, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, k := range Kinds {
		if seen[k.Kind] {
			t.Errorf("kind %s listed twice", k.Kind)
		}
		seen[k.Kind] = true
		if !strings.Contains(string(data), "//\t"+k.Kind+" ") || !strings.Contains(string(data), k.Severity.String()) {
			t.Errorf("doc.go does not list %s", k.Kind)
		}
	}
}
