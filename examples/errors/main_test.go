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
	const want = `withdraw errors: [{"code":1001,"message":"Insufficient funds","data":{"balance":10,"requested":25}},{"code":1002,"message":"Account not found"},{"code":1003,"message":"Account frozen"}]
withdraw 30 from alice: balance 70
withdraw 100 from alice: insufficient funds: balance 70, requested 100 (short by 30)
withdraw 1 from bob: no such account
withdraw 5 from carol: account carol is frozen
withdraw 0 from alice: invalid params: [{"pointer":"/amount","keyword":"minimum","message":"expected a number >= 1, got 0"}]
deposit: method not found: true
audit: jsonrpc error -32603: Internal error (code -32603)
batch[0]: balance 69, error <nil>
batch[1]: balance 0, error no such account
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
