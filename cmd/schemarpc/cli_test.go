package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/examples/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden and docs/api.md")

// result is what one in-process run of the CLI produced.
type result struct {
	stdout, stderr string
	code           int
}

// String renders r as a golden file: the exit code, then both streams.
func (r result) String() string {
	return "exit " + strconv.Itoa(r.code) + "\n-- stdout --\n" + r.stdout + "-- stderr --\n" + r.stderr
}

// run runs the CLI in process with stdin as standard input and returns
// what it wrote and the exit code main would use.
func run(t testing.TB, stdin io.Reader, args ...string) result {
	t.Helper()
	cmd := newRootCmd()
	var stdout, stderr bytes.Buffer
	cmd.SetOut(&stdout)
	cmd.SetErr(&stderr)
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	cmd.SetIn(stdin)
	cmd.SetArgs(args)
	ctx := context.Background()
	code := exitCode(ctx, cmd.ExecuteContext(ctx), &stderr)
	return result{stdout.String(), stderr.String(), code}
}

// golden compares got with testdata/golden/name, or rewrites it with
// -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/schemarpc -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test ./cmd/schemarpc -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// demoDocument writes the demo service's OpenRPC document to a
// temporary directory and returns its path.
func demoDocument(t testing.TB) string {
	t.Helper()
	doc, err := demo.New(slog.New(slog.DiscardHandler)).OpenRPCJSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "openrpc.json")
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVersionFlag(t *testing.T) {
	cmd := newRootCmd()
	var out strings.Builder
	cmd.SetOut(&out)
	cmd.SetArgs([]string{"--version"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "schemarpc version ") {
		t.Fatalf("--version printed %q", out.String())
	}
}
