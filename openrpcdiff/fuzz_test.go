package openrpcdiff

import (
	"bytes"
	"context"
	"os"
	"testing"
)

// FuzzCompare compares arbitrary pairs of documents: it must never panic
// (nor report an internal error), every finding must be of a known kind
// with a message, the report must render in every format, and a document
// compared with itself must have no findings.
func FuzzCompare(f *testing.F) {
	for _, path := range testdataDocs(f) {
		if data, err := os.ReadFile(path); err == nil && len(data) < 16<<10 {
			f.Add(data, data)
		}
	}
	v1, _ := os.ReadFile("testdata/ledger/v1.json")
	v2, _ := os.ReadFile("testdata/ledger/v2.json")
	f.Add(v1, v2)
	f.Add([]byte(`{"openrpc":"1.3.2","info":{"title":"t","version":"1"},"methods":[{"name":"f","params":[{"name":"a","schema":{"$ref":"#/components/schemas/A"}}],"result":{"name":"r","schema":{"oneOf":[{"$ref":"#"},{"allOf":[{"$ref":"#/components/schemas/A"}]}]}}}],"components":{"schemas":{"A":{"anyOf":[{"$ref":"#/components/schemas/A"},{"items":{"$ref":"#/components/schemas/A"}}]}}}}`),
		[]byte(`{"openrpc":"1.4.0","info":{"title":"t","version":"1"},"methods":[{"name":"f","paramStructure":"by-name","params":[{"$ref":"#/components/contentDescriptors/P"}]}],"components":{"contentDescriptors":{"P":{"name":"a","schema":{"oneOf":[{"$ref":"#/components/contentDescriptors/P/schema"},true,false]}}}}}`))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, a, b []byte) {
		old, err := Load(ctx, a, "old.json", "")
		if err != nil {
			return
		}
		defer old.Close()
		new, err := Load(ctx, b, "new.json", "")
		if err != nil {
			return
		}
		defer new.Close()
		fs := Compare(old, new)
		for _, f := range fs {
			if !KnownKind(f.Kind) || f.Kind == "internal-error" || f.Message == "" {
				t.Fatalf("finding %+v", f)
			}
		}
		var w bytes.Buffer
		for _, write := range []func() error{
			func() error { return WriteText(&w, fs) },
			func() error { return WriteJSON(&w, "a", "b", fs) },
			func() error { return WriteMarkdown(&w, fs) },
			func() error { return WriteGitHub(&w, "b", fs) },
		} {
			if err := write(); err != nil {
				t.Fatal(err)
			}
		}
		again, err := Load(ctx, a, "old.json", "")
		if err != nil {
			t.Fatalf("loads once, not twice: %v", err)
		}
		defer again.Close()
		if self := Compare(old, again); len(self) > 0 {
			t.Fatalf("document against itself:\n%s", lines(self))
		}
	})
}
