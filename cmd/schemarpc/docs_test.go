package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/examples/demo"
)

func TestDocs_golden(t *testing.T) {
	for _, tt := range []struct{ doc, format, ext string }{
		{"eth.json", "markdown", "md"},
		{"eth.json", "html", "html"},
		{"v14.json", "markdown", "md"},
		{"external/main.json", "markdown", "md"},
	} {
		name := strings.ReplaceAll(strings.TrimSuffix(tt.doc, ".json"), "/", "-")
		t.Run(name+"."+tt.ext, func(t *testing.T) {
			r := run(t, nil, "docs", "--format", tt.format, "testdata/docs/"+tt.doc)
			if r.code != 0 {
				t.Fatal(r)
			}
			golden(t, "docs-"+name+"."+tt.ext+".golden", r.stdout)
		})
	}
}

func TestDocs_outputFileAndWarnings(t *testing.T) {
	out := filepath.Join(t.TempDir(), "api.md")
	r := run(t, nil, "docs", "-o", out, "testdata/docs/dangling-ref.json")
	if r.code != 0 || r.stdout != "" {
		t.Fatalf("%s", r)
	}
	if !strings.Contains(r.stderr, "warning") || !strings.Contains(r.stderr, "Adress") {
		t.Errorf("no warning for the dangling $ref:\n%s", r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil || !strings.Contains(string(data), "get_account") {
		t.Errorf("output file: %v\n%s", err, data)
	}
}

func TestDocs_exitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"testdata/docs/not-json.json"}, 1},
		{[]string{"testdata/docs/nope.json"}, 2},
		{[]string{"--format", "pdf", "testdata/docs/eth.json"}, 2},
		{nil, 2},
	}
	for _, tt := range tests {
		if r := run(t, nil, append([]string{"docs"}, tt.args...)...); r.code != tt.code {
			t.Errorf("docs %v: exit %d, want %d\n%s", tt.args, r.code, tt.code, r)
		}
	}
}

// TestDocsDrift fails when docs/api.md is not what `schemarpc docs`
// renders from the demo's OpenRPC document (openrpc.json at the repository
// root when present). Regenerate it with
//
//	go test ./cmd/schemarpc -run TestDocsDrift -update
func TestDocsDrift(t *testing.T) {
	spec := filepath.Join("..", "..", "openrpc.json")
	if _, err := os.Stat(spec); err != nil {
		spec = demoDocument(t)
	} else {
		want, err := demo.New(slog.New(slog.DiscardHandler)).OpenRPCJSON()
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(spec); string(got) != string(want) {
			t.Fatalf("openrpc.json differs from the demo service's document: regenerate it with go run ./cmd/schemarpc openrpc -o openrpc.json")
		}
	}
	r := run(t, nil, "docs", spec)
	if r.code != 0 {
		t.Fatal(r)
	}
	path := filepath.Join("..", "..", "docs", "api.md")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(r.stdout), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v: generate it with go test ./cmd/schemarpc -run TestDocsDrift -update", err)
	}
	if r.stdout != string(want) {
		t.Errorf("docs/api.md is out of date: regenerate it with go test ./cmd/schemarpc -run TestDocsDrift -update")
	}
}
