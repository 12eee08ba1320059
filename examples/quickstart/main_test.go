package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/internal/leakcheck"
)

const want = `42 - 23 = 19
jsonrpc error -32602: Invalid params (data: [{"pointer":"/subtrahend","keyword":"minimum","message":"expected a number >= 0, got -1"}])
`

func TestRun(t *testing.T) {
	leakcheck.Check(t)
	var out strings.Builder
	if err := run(t.Context(), []string{"-addr", "127.0.0.1:0"}, &out); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

// TestREADME checks that the README quotes this program: its params type,
// the code between the quick-start markers, and its output.
func TestREADME(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	typ := regexp.MustCompile(`(?s)type SubtractParams struct \{.*?\n\}\n`).Find(src)
	body := regexp.MustCompile(`(?s)// The README's quick start begins here.\n(.*?)\t// The README's quick start ends here.`).FindSubmatch(src)
	if typ == nil || body == nil {
		t.Fatal("main.go: quick-start markers or SubtractParams not found")
	}
	code := strings.ReplaceAll("\n"+string(body[1]), "\n\t", "\n")[1:]
	for _, part := range []string{string(typ), code} {
		if !strings.Contains(string(readme), part) {
			t.Errorf("README.md does not quote main.go:\n%s", part)
		}
	}
	for line := range strings.Lines(want) {
		if !strings.Contains(string(readme), "// "+line) {
			t.Errorf("README.md does not show the output line %q", line)
		}
	}
}
