package docgen

import (
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
)

func TestPointerThroughOrderedObjects(t *testing.T) {
	v, err := decodeJSON([]byte(`{"a/b": {"c~d": [10, 20]}, "": 1}`))
	if err != nil {
		t.Fatal(err)
	}
	for ptr, want := range map[string]string{
		"/a~1b/c~0d/1": "20",
		"/":            "1",
		"":             `{"a/b": {"c~d": [10, 20]}, "": 1}`,
	} {
		got, err := jsonptr.Resolve(v, ptr)
		if err != nil {
			t.Errorf("Resolve(%q): %v", ptr, err)
			continue
		}
		if s := encodeJSON(got, ""); s != want {
			t.Errorf("Resolve(%q) = %s, want %s", ptr, s, want)
		}
	}
	for _, ptr := range []string{"/x", "/a~1b/c~0d/2", "/a~1b/c~0d/01", "/a~1b/c~0d/-1", "/a~1b/c~0d/0/x"} {
		if _, err := jsonptr.Resolve(v, ptr); err == nil {
			t.Errorf("Resolve(%q) succeeded", ptr)
		}
	}
}

func TestResolverLoadsFilesOnce(t *testing.T) {
	main, _ := decodeJSON([]byte(`{}`))
	r, err := newResolver(main, "testdata/external", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	for range 3 {
		if _, _, err := r.lookup("", "schemas.json#/components/schemas/Animal"); err != nil {
			t.Fatal(err)
		}
		if _, loc, err := r.lookup("schemas/pet.json", "../schemas.json#/components/schemas/Habitat"); err != nil || loc.File != "schemas.json" {
			t.Fatalf("relative lookup: %v %v", loc, err)
		}
		if _, _, err := r.lookup("", "missing.json"); err == nil {
			t.Fatal("missing file resolved")
		}
	}
	files := r.refs.Files()
	if len(files) != 2 {
		t.Fatalf("cached %d files, want 2 (schemas.json and missing.json)", len(files))
	}
	first := files[0].Value
	r.lookup("", "./schemas.json#/components")
	if len(r.refs.Files()) != 2 || r.refs.Files()[0].Value != first {
		t.Error("schemas.json was parsed twice")
	}
}

func TestResolverRejectsEscapes(t *testing.T) {
	main, _ := decodeJSON([]byte(`{}`))
	r, err := newResolver(main, "testdata/external", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.close()
	for _, ref := range []string{"../full.json", "schemas/../../full.json", "/etc/passwd", "https://example.com/x.json#/a", "urn:x:y", "#no-slash"} {
		if _, _, err := r.lookup("", ref); err == nil {
			t.Errorf("lookup(%q) succeeded", ref)
		}
	}
}

func TestMarkdownHelpers(t *testing.T) {
	for in, want := range map[string]string{
		"a|b":    "`a\\|b`",
		"a`b":    "``a`b``",
		"`x`":    "`` `x` ``",
		"l1\nl2": "`l1 l2`",
	} {
		if got := mdCode(in, true); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdCell("a | b \\| c\nd"); got != `a \| b \| c<br>d` {
		t.Errorf("mdCell = %q", got)
	}
	if got := mdText("<b>*x*</b>"); got != `\<b\>\*x\*\</b\>` {
		t.Errorf("mdText = %q", got)
	}
	if got := mdPara("# not a heading"); !strings.HasPrefix(got, `\#`) {
		t.Errorf("mdPara = %q", got)
	}
}

func TestDecodeJSONKeepsOrder(t *testing.T) {
	v, err := decodeJSON([]byte(`{"z": 1, "a": {"y": [true, null, "s"], "b": 2.5e3}, "z": 3}`))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := encodeJSON(v, ""), `{"z": 3, "a": {"y": [true, null, "s"], "b": 2.5e3}}`; got != want {
		t.Errorf("encodeJSON = %s, want %s", got, want)
	}
}
