package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/server"
	"github.com/schemarpc/schemarpc/validate"
)

// A struct tag with an invalid ECMA-262 pattern fails registration with a
// message naming the field's place and the pattern, never a panic.
func TestRegisterInvalidPattern(t *testing.T) {
	type params struct {
		SKU string `json:"sku" jsonschema:"pattern=^[0-9a-zA-Z._-/]+$"`
	}
	s := server.New()
	err := s.Add(server.Func("order", func(ctx context.Context, p params) (string, error) { return p.SKU, nil }))
	if err == nil {
		t.Fatal("Add accepted a method whose params have an invalid pattern")
	}
	for _, want := range []string{`order`, `/properties/sku/pattern`, `"^[0-9a-zA-Z._-/]+$"`, "range out of order"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// Struct-tag patterns are ECMA-262: a lookahead works on the server.
func TestServerECMAPattern(t *testing.T) {
	type params struct {
		Password string `json:"password" jsonschema:"pattern=^(?=.*[0-9]).{8\\,}$"`
	}
	s := server.New()
	if err := s.Add(server.Func("login", func(ctx context.Context, p params) (bool, error) { return true, nil })); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ok := s.Handle(ctx, []byte(`{"jsonrpc":"2.0","method":"login","params":{"password":"abcdefg1"},"id":1}`))
	if !strings.Contains(string(ok), `"result":true`) {
		t.Errorf("valid password refused: %s", ok)
	}
	bad := s.Handle(ctx, []byte(`{"jsonrpc":"2.0","method":"login","params":{"password":"abcdefgh"},"id":2}`))
	if !strings.Contains(string(bad), `-32602`) || !strings.Contains(string(bad), `"pattern"`) {
		t.Errorf("password without a digit accepted: %s", bad)
	}
}

// Params that the validator refuses to check (here: nested deeper than
// validate.MaxDepth, which the server's own limit of 10,000 levels allows)
// are answered with -32602 and a "complexity" violation, and the method
// does not run.
func TestParamsTooComplex(t *testing.T) {
	type params struct {
		A any `json:"a"`
	}
	ran := false
	s := server.New()
	if err := s.Add(server.Func("take", func(ctx context.Context, p params) (bool, error) { ran = true; return true, nil })); err != nil {
		t.Fatal(err)
	}
	deep := strings.Repeat("[", validate.MaxDepth+10) + strings.Repeat("]", validate.MaxDepth+10)
	out := string(s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","method":"take","params":{"a":`+deep+`},"id":1}`)))
	if !strings.Contains(out, `-32602`) || !strings.Contains(out, `"keyword":"complexity"`) || ran {
		t.Errorf("got %.300s (method ran: %v), want -32602 with a complexity violation", out, ran)
	}
	ok := string(s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","method":"take","params":{"a":[[1]]},"id":2}`)))
	if !strings.Contains(ok, `"result":true`) {
		t.Errorf("shallow params: %s", ok)
	}
}
