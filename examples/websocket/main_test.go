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
	const want = `pong
{"args":["request"],"kwargs":{}}
{Method:echo Params:[some request] Notification:false}
{Method:echo Params:map[a:1] Notification:true}
batch[0] {"args":["test"],"kwargs":{}}
batch[1] notification, no result
batch[2] "pong"
handshake from https://evil.example: HTTP 403
HTTP call from https://evil.example: jsonrpc error -32600: Invalid Request (data: "origin not allowed")
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
