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
	const want = `client: send ping_v1()
  server: before ping_v1()
  server: after ping_v1: result pong, error <nil>
client: 1 response(s)
=> ping_v1: result pong, error <nil>
client: send generate_user_token({"user":{"__type__":"user","uuid":"3b241101-e2bb-4255-8caf-4136c566a962"}})
  server: before generate_user_token({"user":{"__type__":"user","uuid":"3b241101-e2bb-4255-8caf-4136c566a962"}})
  server: after generate_user_token: result token-3b241101, error <nil>
client: 1 response(s)
=> generate_user_token: result token-3b241101, error <nil>
client: send generate_user_token({"user":{"__type__":"user","uuid":"00000000-0000-4000-8000-000000000000"}})
  server: before generate_user_token({"user":{"__type__":"user","uuid":"00000000-0000-4000-8000-000000000000"}})
level=INFO msg="rpc call failed" method=generate_user_token id=3 code=-32602
  server: after generate_user_token: result <nil>, error jsonrpc error -32602: Invalid params
client: 1 response(s)
=> generate_user_token: result <nil>, error jsonrpc error -32602: Invalid params (data: "no user \"00000000-0000-4000-8000-000000000000\"")
client: send divide({"a":10,"b":3})
  server: before divide({"a":10,"b":3})
  server: after divide: result 3.33, error <nil>
client: 1 response(s)
=> divide: result 3.33, error <nil>
client: send divide({"a":10,"b":3})
client: 1 response(s)
=> divide: result 3.33, error <nil>
client: send nope()
  server: before nope()
level=INFO msg="rpc call failed" method=nope id=6 code=-32601
  server: after nope: result <nil>, error jsonrpc error -32601: Method not found
client: 1 response(s)
=> nope: result <nil>, error jsonrpc error -32601: Method not found (data: "method \"nope\" does not exist")
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
