package main

import (
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/internal/leakcheck"
)

func TestRun(t *testing.T) {
	leakcheck.Check(t)
	var out strings.Builder
	if err := run(t.Context(), []string{"-addr", "127.0.0.1:0"}, &out); err != nil {
		t.Fatal(err)
	}
	const want = `server called client_version: bidirectional-example/1.0
transfer 100: transferred 100
transfer 900: jsonrpc error 1: Transfer declined
notification progress {"step":1,"of":2}
notification progress {"step":2,"of":2}
notification welcome {"motd":"hello"}
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
