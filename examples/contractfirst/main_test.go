package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/gen"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
)

const want = `ABC-0001: 5 (part)
ABC-0001: 7 (part)
jsonrpc error -32602: Invalid params (data: [{"pointer":"/sku","keyword":"pattern","message":"expected a string matching \"^[A-Z]{3}-[0-9]{4}$\", got \"abc\""}])
unknown item: true
`

// The generated client calls the generated server, which enforces the
// document's schemas and maps the declared error.
func TestRun(t *testing.T) {
	leakcheck.Check(t)
	var out strings.Builder
	if err := run(t.Context(), nil, &out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

// Package api is what `go generate` writes from openrpc.json today.
func TestGeneratedUpToDate(t *testing.T) {
	res, err := gen.GenerateFile(t.Context(), "openrpc.json", gen.Options{Package: "api"})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("api/*.go")
	if len(files) != len(res.Files) {
		t.Errorf("api has %d files, gen writes %d: run go generate", len(files), len(res.Files))
	}
	for name, src := range res.Files {
		have, err := os.ReadFile(filepath.Join("api", name))
		if err != nil || !bytes.Equal(have, src) {
			t.Errorf("api/%s is stale: run go generate ./examples/contractfirst", name)
		}
	}
}
