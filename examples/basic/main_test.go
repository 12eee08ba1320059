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
	const want = `#1 pong
#2 {"args":["one","two"],"kwargs":{}}
#3 {"args":[],"kwargs":{"three":"3"}}
#4 {"args":[],"kwargs":{"three":"3"}}
#5 {"jsonrpc":"2.0","id":123,"result":"pong"}
#6 ["pong",{"args":["one","two"],"kwargs":{}},{"args":[],"kwargs":{"three":"3"}}]
notifications handled by the server: 4
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
