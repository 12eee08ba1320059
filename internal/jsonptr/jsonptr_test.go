package jsonptr

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func decode(data []byte) (any, error) {
	var v any
	err := json.Unmarshal(data, &v)
	return v, err
}

func TestEscapeUnescape(t *testing.T) {
	for _, c := range []struct{ name, tok string }{
		{"a", "a"}, {"a/b", "a~1b"}, {"m~n", "m~0n"}, {"~/", "~0~1"}, {"~1", "~01"}, {"", ""},
	} {
		if got := Escape(c.name); got != c.tok {
			t.Errorf("Escape(%q) = %q, want %q", c.name, got, c.tok)
		}
		if got, err := Unescape(c.tok); err != nil || got != c.name {
			t.Errorf("Unescape(%q) = %q, %v, want %q", c.tok, got, err, c.name)
		}
	}
	for _, bad := range []string{"~", "a~", "~2", "~a"} {
		if _, err := Unescape(bad); err == nil {
			t.Errorf("Unescape(%q) succeeded", bad)
		}
	}
}

func TestParse(t *testing.T) {
	got, err := Parse("/a~1b/0//m~0n")
	if err != nil || !slices.Equal(got, []string{"a/b", "0", "", "m~n"}) {
		t.Fatalf("Parse = %q, %v", got, err)
	}
	if got, err := Parse(""); err != nil || got != nil {
		t.Fatalf("Parse(\"\") = %q, %v", got, err)
	}
	if _, err := Parse("a/b"); err == nil {
		t.Fatal("Parse of a pointer without a leading slash succeeded")
	}
	if got := Append("/x", "a/b", "m~n"); got != "/x/a~1b/m~0n" {
		t.Fatalf("Append = %q", got)
	}
	if f, r := Split("/a~1b/0/c"); f != "a~1b" || r != "/0/c" {
		t.Fatalf("Split = %q, %q", f, r)
	}
}

func TestIndex(t *testing.T) {
	for _, c := range []struct {
		tok  string
		want int
		ok   bool
	}{
		{"0", 0, true}, {"2", 2, true}, {"01", 0, false}, {"00", 0, false}, {"+1", 0, false},
		{"-1", 0, false}, {"3", 3, false}, {"", 0, false}, {"1e0", 0, false}, {"99999999999999999999", 0, false},
	} {
		got, ok := Index(c.tok, 3)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("Index(%q, 3) = %d, %v", c.tok, got, ok)
		}
	}
}

// ordered is an Object other than a map.
type ordered struct{ m map[string]any }

func (o ordered) Member(name string) (any, bool) { v, ok := o.m[name]; return v, ok }

func TestResolve(t *testing.T) {
	doc, _ := decode([]byte(`{"a": {"b/c": [10, {"~": true}]}, "": 5}`))
	for ptr, want := range map[string]any{
		"/a/b~1c/0":     float64(10),
		"/a/b~1c/1/~0":  true,
		"/":             float64(5),
		"/a/b~1c/1/~0/": nil,
	} {
		got, err := Resolve(doc, ptr)
		if ptr == "/a/b~1c/1/~0/" {
			if err == nil || !strings.Contains(err.Error(), "not an object or array") {
				t.Errorf("Resolve(%q) = %v, %v", ptr, got, err)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("Resolve(%q) = %v, %v, want %v", ptr, got, err, want)
		}
	}
	for ptr, msg := range map[string]string{
		"/a/b~1c/01": `/a/b~1c has no element "01"`,
		"/a/x":       `/a has no member "x"`,
		"/a/b~1c/2":  `has no element "2"`,
		"/a~2":       `must be followed by 0 or 1`,
	} {
		if _, err := Resolve(doc, ptr); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("Resolve(%q) error = %v, want %q", ptr, err, msg)
		}
	}
	o := ordered{map[string]any{"x": []any{"y"}}}
	if got, err := Resolve(o, "/x/0"); err != nil || got != "y" {
		t.Errorf("Resolve through an Object = %v, %v", got, err)
	}
}

func isRef(v any) (string, bool) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", false
	}
	s, ok := m["$ref"].(string)
	return s, ok
}

func TestResolver(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub", "s.json"), []byte(`{"S": {"$ref": "t.json#/T"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", "t.json"), []byte(`{"T": {"type": "string"}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{`), 0o644)
	main, _ := decode([]byte(`{"a": {"$ref": "#/b"}, "b": {"$ref": "#/a"}, "c": [1, 2], "d": {"$ref": "sub/s.json#/S"}}`))
	r, err := NewResolver(main, dir, "docs", decode)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	v, loc, err := r.Follow("", "#/d", isRef)
	if err != nil || loc != (Location{"sub/t.json", "/T"}) || v.(map[string]any)["type"] != "string" {
		t.Fatalf("Follow across files = %v, %v, %v", v, loc, err)
	}
	if _, _, err := r.Follow("", "#/a", isRef); err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Fatalf("Follow of a cycle: %v", err)
	}
	if v, _, err := r.Lookup("", "#/c/1"); err != nil || v != float64(2) {
		t.Fatalf("Lookup = %v, %v", v, err)
	}
	for ref, want := range map[string]error{"https://x.org/s.json#/a": ErrRemote, "#anchor": ErrAnchor, "nope.json#/a": fs.ErrNotExist} {
		if _, _, err := r.Lookup("", ref); !errors.Is(err, want) {
			t.Errorf("Lookup(%q) = %v, want %v", ref, err, want)
		}
	}
	for ref, msg := range map[string]string{
		"#/c/01":         `has no element "01"`,
		"nope.json#/a":   "file docs/nope.json does not exist",
		"bad.json":       "file docs/bad.json:",
		"../x.json#/a":   "leaves the document's directory",
		"/etc/passwd#/a": "absolute paths",
		"sub/../../x#/a": "leaves the document's directory",
		"#/c/%zz":        "bad fragment",
	} {
		if _, _, err := r.Lookup("", ref); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("Lookup(%q) = %v, want %q", ref, err, msg)
		}
	}
	var names []string
	for _, f := range r.Files() {
		names = append(names, f.Name)
	}
	if !slices.Equal(names, []string{"sub/s.json", "sub/t.json", "nope.json", "bad.json"}) {
		t.Fatalf("Files() = %q", names)
	}
}

func TestResolverFileLimit(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "big.json"))
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(MaxFileSize + 1) // sparse: zero bytes the limit stops at
	f.Close()
	r, err := NewResolver(map[string]any{}, dir, "", decode)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, _, err := r.Lookup("", "big.json#"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("Lookup of a file over the limit: %v", err)
	}
	noBase, _ := NewResolver(map[string]any{}, "", "", decode)
	if _, _, err := noBase.Lookup("", "big.json#"); err == nil || !strings.Contains(err.Error(), "disabled") {
		t.Fatalf("Lookup without a base directory: %v", err)
	}
}

func TestLine(t *testing.T) {
	doc := []byte(`{
  "a": 1,
  "b/c": {"x": [
    10,
    {"y~z": true}
  ]},
  "d": "line 7",
  "esc\u0061ped": null,
  "twice": 1,
  "twice": 2
}`)
	for _, c := range []struct {
		ptr  string
		line int
	}{
		{"", 1},
		{"/a", 2},
		{"/b~1c", 3},
		{"/b~1c/x", 3},
		{"/b~1c/x/0", 4},
		{"/b~1c/x/1", 5},
		{"/b~1c/x/1/y~0z", 5},
		{"/d", 7},
		{"/escaped", 8},
		{"/twice", 10},
		{"/missing", 0},
		{"/b~1c/x/2", 0},
		{"/b~1c/x/01", 0},
		{"/a/deeper", 0},
		{"no-slash", 0},
		{"/b~2c", 0}, // not a valid escape
	} {
		if got := Line(doc, c.ptr); got != c.line {
			t.Errorf("Line(%q) = %d, want %d", c.ptr, got, c.line)
		}
	}
}

func TestLines_Position(t *testing.T) {
	l := NewLines([]byte(`{"é": [1, {"k": "v"}],` + "\n" + ` "n": null}`))
	for _, c := range []struct {
		ptr       string
		line, col int
	}{{"", 1, 1}, {"/é", 1, 7}, {"/é/1/k", 1, 17}, {"/n", 2, 7}, {"/x", 0, 0}} {
		if line, col := l.Position(c.ptr); line != c.line || col != c.col {
			t.Errorf("Position(%q) = %d, %d; want %d, %d", c.ptr, line, col, c.line, c.col)
		}
	}
}
