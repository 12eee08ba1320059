package gen_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/gen"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// documents are the documents the golden files and the build test cover.
var documents = map[string]string{ // package → path
	"shapes": "testdata/shapes.json",
	"demo":   "../openrpc.json",
	"empty":  "testdata/empty.json",  // no methods: Register's helper is unused
	"quirks": "testdata/quirks.json", // Go code in descriptions, odd names, name clashes
}

func generate(t *testing.T, pkg string) *gen.Output {
	t.Helper()
	out, err := gen.GenerateFile(context.Background(), documents[pkg], gen.Options{Package: pkg})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The generated files match the golden files, and generating twice
// gives the same bytes.
func TestGolden(t *testing.T) {
	for pkg := range documents {
		out := generate(t, pkg)
		again := generate(t, pkg)
		for name, src := range out.Files {
			if !bytes.Equal(src, again.Files[name]) {
				t.Errorf("%s/%s: two runs differ", pkg, name)
			}
			if !bytes.HasPrefix(src, []byte(gen.Header)) {
				t.Errorf("%s/%s: no header", pkg, name)
			}
			golden := filepath.Join("testdata", "golden", pkg, name+".golden")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, src, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./gen -update)", err)
			}
			if !bytes.Equal(src, want) {
				t.Errorf("%s/%s differs from %s (run go test ./gen -update and review the diff)", pkg, name, golden)
			}
		}
	}
}

// The clash of "user-id" and "UserId" (both UserID) is resolved
// deterministically and reported.
func TestNameClashReported(t *testing.T) {
	out := generate(t, "shapes")
	if len(out.Notes) != 1 || !strings.Contains(out.Notes[0], `component "user-id" would be UserID, which is taken; it is UserID2`) {
		t.Errorf("notes %q", out.Notes)
	}
	if !bytes.Contains(out.Files["types.go"], []byte("type UserID2 = string")) && !bytes.Contains(out.Files["types.go"], []byte("type UserID2 string")) {
		t.Errorf("no UserID2 in types.go")
	}
}

func TestTypesOnlyAndSides(t *testing.T) {
	for _, tc := range []struct {
		opts gen.Options
		want string
	}{
		{gen.Options{Package: "p", TypesOnly: true}, "types.go"},
		{gen.Options{Package: "p", Client: true}, "client.go errors.go types.go"},
		{gen.Options{Package: "p", Server: true}, "errors.go server.go types.go"},
	} {
		out, err := gen.GenerateFile(context.Background(), "testdata/shapes.json", tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for n := range out.Files {
			names = append(names, n)
		}
		if got := strings.Join(sorted(names), " "); got != tc.want {
			t.Errorf("%+v: files %s, want %s", tc.opts, got, tc.want)
		}
	}
}

func sorted(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

// Documents with errors are refused with a clear message, never turned
// into broken code.
func TestRefused(t *testing.T) {
	for _, tc := range []struct{ doc, pkg, want string }{
		{`{"openrpc":"1.3.2","info":{"title":"t","version":"1"},"methods":[{"name":"a","params":[],"result":{"name":"r","schema":{"$ref":"#/components/schemas/Nope"}}}]}`, "p", `"#/components/schemas/Nope" does not resolve`},
		{`{"openrpc":"1.3.2","info":{"title":"t","version":"1"},"methods":[{"name":"a","params":[]},{"name":"a","params":[]}]}`, "p", "is not a valid OpenRPC document"},
		{`{"openrpc":"1.3.2","methods":[]}`, "p", "is not a valid OpenRPC document"},
		{`not json`, "p", "not valid JSON"},
		{`{"openrpc":"1.3.2","info":{"title":"t","version":"1"},"methods":[]}`, "my-pkg", `package name "my-pkg" is not a Go identifier`},
		{`{"openrpc":"1.3.2","info":{"title":"t","version":"1"},"methods":[{"name":"a","params":[{"name":"x","schema":{"type":"string","pattern":"("}}]}]}`, "p", "is not a valid OpenRPC document"},
	} {
		_, err := gen.Generate(context.Background(), []byte(tc.doc), gen.Options{Package: tc.pkg})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.doc, err, tc.want)
		}
	}
}

// The generated code builds and passes go vet in a module of its own,
// and the generated clients call the generated servers over HTTP and
// WebSocket; rpc.discover serves the input's methods and schemas.
func TestGeneratedCodeRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module: not in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal("the go command is not on PATH:", err)
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for pkg := range documents {
		out := generate(t, pkg)
		os.MkdirAll(filepath.Join(dir, pkg), 0o755)
		for name, src := range out.Files {
			if err := os.WriteFile(filepath.Join(dir, pkg, name), src, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	mod := "module example.com/roundtrip\n\ngo 1.26\n\nrequire github.com/schemarpc/schemarpc v0.0.0\n\nreplace github.com/schemarpc/schemarpc => " + repo + "\n"
	test, err := os.ReadFile("testdata/roundtrip/roundtrip_test.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile("../go.sum")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"go.mod": []byte(mod), "go.sum": sum, "roundtrip_test.go": test} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	run := func(args ...string) {
		cmd := exec.Command(goBin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "SPEC_DIR="+dir, "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, f := range []string{"testdata/shapes.json", "../openrpc.json"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644)
	}
	run("vet", "./...")
	run("test", "-count=1", "./...")
}
