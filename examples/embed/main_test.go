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
	const want = `preflight from https://app.example: 204 allow-origin="https://app.example" allow-headers="Authorization, Content-Type, X-Request-Id"
preflight from https://evil.example: 403 allow-origin="" allow-headers=""
browser call: 200 allow-origin="https://app.example" {"jsonrpc":"2.0","id":1,"result":{"user":"alice","role":"user"}}
no token: 401 Unauthorized
alice whoami: {"jsonrpc":"2.0","id":"a1","result":{"user":"alice","role":"user","request_id":"req-42"}}
alice admin.stats: jsonrpc error 403: Forbidden true
root over WebSocket: {User:root Role:admin RequestID:} map[users:2]
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
