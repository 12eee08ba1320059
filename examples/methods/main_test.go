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
	const want = `add ping_1 again: server: method already registered: "ping_1"
methods: [ping_1 ping_3 ping_with_request sum third_ping zip]
ping_1: "pong 1 (replaced)"
ping_3: "pong 3"
ping_with_request: "pong with request from Go-http-client/1.1"
sum: 6
sum: 0.3
third_ping: "pong 3"
zip: [["a",1],["b",2]]
ping_2: jsonrpc error -32601: Method not found (data: "method \"ping_2\" does not exist")
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
