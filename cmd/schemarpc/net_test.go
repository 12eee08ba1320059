package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/examples/demo"
)

// demoServer serves the demo service; it returns its HTTP and WebSocket
// URLs.
func demoServer(t *testing.T) (httpURL, wsURL string) {
	t.Helper()
	srv := httptest.NewServer(demo.New(slog.New(slog.DiscardHandler)))
	t.Cleanup(srv.Close)
	return srv.URL, "ws" + strings.TrimPrefix(srv.URL, "http")
}

// noDiscoverServer answers every request with -32601, as a JSON-RPC server
// without rpc.discover does.
func noDiscoverServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID json.RawMessage `json:"id"`
		}
		body, _ := io.ReadAll(r.Body)
		json.Unmarshal(body, &req)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"jsonrpc":"2.0","id":`+string(req.ID)+`,"error":{"code":-32601,"message":"Method not found","data":"rpc.discover"}}`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestDiscover(t *testing.T) {
	httpURL, wsURL := demoServer(t)
	want, err := demo.New(slog.New(slog.DiscardHandler)).OpenRPCJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, url := range []string{httpURL, wsURL} {
		r := run(t, nil, "discover", "--validate", url)
		if r.code != 0 || r.stderr != "" {
			t.Fatalf("%s: %s", url, r)
		}
		var got, exp any
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		json.Unmarshal(want, &exp)
		gb, _ := json.Marshal(got)
		eb, _ := json.Marshal(exp)
		if string(gb) != string(eb) {
			t.Errorf("%s: discovered document differs from the demo's", url)
		}
		if !strings.HasPrefix(r.stdout, "{\n  \"openrpc\"") {
			t.Errorf("%s: not indented: %.40q", url, r.stdout)
		}
	}
}

func TestDiscover_withoutRPCDiscover(t *testing.T) {
	url := noDiscoverServer(t)
	r := run(t, nil, "discover", url)
	r.stderr = strings.ReplaceAll(r.stderr, url, "URL")
	golden(t, "discover-missing.golden", r.String())
}

func TestDiscover_transportFailure(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	if r := run(t, nil, "discover", "--timeout", "2s", url); r.code != 1 || r.stderr == "" {
		t.Errorf("%s", r)
	}
}

func TestCall(t *testing.T) {
	httpURL, wsURL := demoServer(t)
	for _, url := range []string{httpURL, wsURL} {
		tests := []struct {
			name string
			args []string
		}{
			{"positional", []string{"subtract", "[42, 23]"}},
			{"named", []string{"subtract", `{"minuend": 42, "subtrahend": 23}`}},
			{"pairs", []string{"create_user", "-p", "username=ann", "-p", "email=ann@example.com"}},
			{"no params", []string{"get_data"}},
			{"invalid params", []string{"subtract", "[42]"}},
			{"unknown method", []string{"nope"}},
			{"notify", []string{"--notify", "notify_hello", "[7]"}},
			{"string id", []string{"--id", "abc", "ping"}},
		}
		var b strings.Builder
		for _, tt := range tests {
			r := run(t, nil, append([]string{"call", url}, tt.args...)...)
			if tt.name == "pairs" { // a fresh uuid each time
				var u map[string]any
				json.Unmarshal([]byte(r.stdout), &u)
				if _, ok := u["uuid"].(string); ok {
					u["uuid"] = "UUID"
				}
				out, _ := json.MarshalIndent(u, "", "  ")
				r.stdout = string(out) + "\n"
			}
			b.WriteString("== " + tt.name + ": " + strings.Join(tt.args, " ") + "\n" + r.String())
		}
		golden(t, "call.golden", b.String())
	}
}

func TestCall_usageErrors(t *testing.T) {
	httpURL, _ := demoServer(t)
	for _, args := range [][]string{
		{httpURL},
		{httpURL, "subtract", "42"},
		{httpURL, "subtract", "[1,"},
		{httpURL, "subtract", "[1]", "-p", "a=1"},
		{httpURL, "subtract", "-p", "novalue"},
		{"--header", "bad", httpURL, "ping"},
	} {
		if r := run(t, nil, append([]string{"call"}, args...)...); r.code != 2 {
			t.Errorf("call %v: exit %d, want 2\n%s", args, r.code, r)
		}
	}
}

func TestCall_headers(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":{"ok":true}}`)
	}))
	defer srv.Close()
	r := run(t, nil, "call", "-H", "Authorization: Bearer t0k", srv.URL, "anything")
	if r.code != 0 || got != "Bearer t0k" || r.stdout != "{\n  \"ok\": true\n}\n" {
		t.Errorf("header %q, %s", got, r)
	}
}
