package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

// countingServer is a demo server whose calls are counted by a middleware.
func countingServer(opts ...server.Option) (*server.Server, *atomic.Int32) {
	var n atomic.Int32
	count := func(next server.Handler) server.Handler {
		return server.HandlerFunc(func(ctx contextT, req *requestT) (any, error) {
			n.Add(1)
			return next.ServeRPC(ctx, req)
		})
	}
	return demo.New(nil, append(opts, server.WithMiddlewares(count))...), &n
}

// wantJSONError checks a non-2xx answer: the status, a JSON-RPC error body
// with a null id and the code.
func wantJSONError(t *testing.T, r httpResult, status, code int) {
	t.Helper()
	if r.status != status {
		t.Errorf("HTTP %d, want %d (body %s)", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var resp map[string]json.RawMessage
	var e struct{ Code int }
	err := json.Unmarshal([]byte(r.body), &resp)
	if err == nil {
		err = json.Unmarshal(resp["error"], &e)
	}
	if err != nil || string(resp["jsonrpc"]) != `"2.0"` || string(resp["id"]) != "null" || e.Code != code {
		t.Errorf("body %s: want a JSON-RPC error %d with a null id", r.body, code)
	}
}

const ping = `{"jsonrpc":"2.0","method":"ping","id":1}`

func TestServeHTTP_methodNotAllowed(t *testing.T) {
	leakcheck.Check(t)
	s, calls := countingServer()
	ts := serve(t, s)
	for _, m := range []string{"GET", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		r := do(t, m, ts.URL, "application/json", ping)
		wantJSONError(t, r, 405, -32600)
		if allow := r.header.Get("Allow"); !strings.Contains(allow, "POST") {
			t.Errorf("%s: Allow %q", m, allow)
		}
	}
	if r := do(t, "HEAD", ts.URL, "application/json", ""); r.status != 405 || r.header.Get("Allow") == "" {
		t.Errorf("HEAD: %d %v", r.status, r.header)
	}
	if calls.Load() != 0 {
		t.Errorf("%d calls reached the handler", calls.Load())
	}
}

func TestServeHTTP_contentType(t *testing.T) {
	leakcheck.Check(t)
	s, calls := countingServer()
	ts := serve(t, s)
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/jsonx", "application/json-rpc", "multipart/form-data; boundary=x", "application/json; charset"} {
		wantJSONError(t, post(t, ts.URL, ct, ping), 415, -32600)
	}
	if calls.Load() != 0 {
		t.Errorf("%d calls with a wrong Content-Type reached the handler", calls.Load())
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8"} {
		r := post(t, ts.URL, ct, ping)
		if r.status != 200 || r.body != `{"jsonrpc":"2.0","id":1,"result":"pong"}` || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("%q: %d %q %s", ct, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
}

func TestServeHTTP_bodyLimit(t *testing.T) {
	leakcheck.Check(t)
	big := `{"jsonrpc":"2.0","method":"echo","id":1,"params":["` + strings.Repeat("x", server.DefaultReadLimit) + `"]}`
	t.Run("default", func(t *testing.T) {
		ts := serve(t, demo.New(nil))
		wantJSONError(t, post(t, ts.URL, "application/json", big), 413, -32600)
		if r := post(t, ts.URL, "application/json", ping); r.status != 200 {
			t.Errorf("after 413: %d", r.status)
		}
	})
	t.Run("option", func(t *testing.T) {
		s, calls := countingServer(server.WithReadLimit(64))
		ts := serve(t, s)
		body := `{"jsonrpc":"2.0","method":"echo","id":1,"params":["` + strings.Repeat("x", 64) + `"]}`
		wantJSONError(t, post(t, ts.URL, "application/json", body), 413, -32600)
		// Without a Content-Length (chunked), the limit holds too.
		req, _ := http.NewRequest("POST", ts.URL, io.MultiReader(strings.NewReader(body)))
		req.Header.Set("Content-Type", "application/json")
		req.ContentLength = -1
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		wantJSONError(t, httpResult{resp.StatusCode, resp.Header, string(b)}, 413, -32600)
		if calls.Load() != 0 {
			t.Errorf("%d oversized calls reached the handler", calls.Load())
		}
		if r := post(t, ts.URL, "application/json", ping); r.status != 200 {
			t.Errorf("small body: %d", r.status)
		}
	})
	t.Run("unlimited", func(t *testing.T) {
		ts := serve(t, demo.New(nil, server.WithReadLimit(0)))
		if r := post(t, ts.URL, "application/json", big); r.status != 200 || !strings.Contains(r.body, `"result"`) {
			t.Errorf("no limit: %d %.100s", r.status, r.body)
		}
	})
}

func TestServeHTTP_batchLimit(t *testing.T) {
	leakcheck.Check(t)
	s, calls := countingServer()
	ts := serve(t, s)
	batch := func(n int) string {
		return "[" + strings.TrimSuffix(strings.Repeat(ping+",", n), ",") + "]"
	}
	r := post(t, ts.URL, "application/json", batch(server.DefaultMaxBatch+1))
	if r.status != 200 || r.body != `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request","data":"batch too large: more than 1000 requests"}}` {
		t.Errorf("1001 calls: %d %s", r.status, r.body)
	}
	if calls.Load() != 0 {
		t.Errorf("%d calls of a too large batch ran", calls.Load())
	}
	r = post(t, ts.URL, "application/json", batch(server.DefaultMaxBatch))
	var out []json.RawMessage
	if err := json.Unmarshal([]byte(r.body), &out); err != nil || len(out) != server.DefaultMaxBatch {
		t.Errorf("1000 calls: %d answers, %v", len(out), err)
	}
}

func TestServeHTTP_answers(t *testing.T) {
	leakcheck.Check(t)
	ts := serve(t, demo.New(nil))
	for _, tc := range []struct {
		name, body string
		status     int
		want       string
	}{
		{"notification", `{"jsonrpc":"2.0","method":"update","params":[1]}`, 204, ""},
		{"notification batch", `[{"jsonrpc":"2.0","method":"update"},{"jsonrpc":"2.0","method":"nope"}]`, 204, ""},
		{"failing notification", `{"jsonrpc":"2.0","method":"subtract","params":["x"]}`, 204, ""},
		{"empty batch", `[]`, 200, `{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request","data":"empty batch"}}`},
		{"empty body", ``, 200, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error","data":"not valid JSON"}}`},
		{"invalid UTF-8", "{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"\xff\"],\"id\":1}", 200, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error","data":"not valid UTF-8"}}`},
		{"deep nesting", strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000), 200, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error","data":"nested too deeply"}}`},
		{"deep params", `{"jsonrpc":"2.0","method":"echo","id":1,"params":` + strings.Repeat(`{"a":`, 100_000) + "1" + strings.Repeat("}", 100_001), 200, `{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error","data":"nested too deeply"}}`},
		{"error answer", `{"jsonrpc":"2.0","method":"nope","id":1}`, 200, `{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found","data":"method \"nope\" does not exist"}}`},
	} {
		r := post(t, ts.URL, "application/json", tc.body)
		if r.status != tc.status || r.body != tc.want {
			t.Errorf("%s: HTTP %d %s, want %d %s", tc.name, r.status, r.body, tc.status, tc.want)
		}
		if tc.status == 200 && r.header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: Content-Type %q", tc.name, r.header.Get("Content-Type"))
		}
	}
	// The server survived all of that.
	if r := post(t, ts.URL, "application/json", ping); r.body != `{"jsonrpc":"2.0","id":1,"result":"pong"}` {
		t.Errorf("ping: %s", r.body)
	}
}
