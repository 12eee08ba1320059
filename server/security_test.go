package server_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

type dbConn struct{ DSN string }

func (d *dbConn) String() string { return "dbConn(" + d.DSN + ")" }

// TestErrors_noInternalDetails checks that answers never carry internal
// error text, panic values, stack traces or Go type names, over every
// transport, unless WithExposeErrors is set.
func TestErrors_noInternalDetails(t *testing.T) {
	leakcheck.Check(t)
	secrets := []string{"hunter2", "postgres://", "dbConn", "PathError", "/etc/shadow", "goroutine ", ".go:", "server_test", "*net.OpError", "chan int", "addParams", "Go struct", "Go value"}
	methods := []*server.Method{
		server.FuncNoParams("wrapped", func(context.Context) (int, error) {
			return 0, fmt.Errorf("query with %v failed: %w", &dbConn{"postgres://admin:hunter2@db"}, &fs.PathError{Op: "open", Path: "/etc/shadow", Err: fs.ErrPermission})
		}),
		server.FuncNoParams("panicValue", func(context.Context) (int, error) {
			panic(&dbConn{"postgres://admin:hunter2@db"})
		}),
		server.FuncNoParams("panicError", func(context.Context) (int, error) {
			panic(&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("hunter2")})
		}),
		server.Raw("badResult", func(context.Context, json.RawMessage) (any, error) { return make(chan int), nil }),
		server.Func("add", add),
	}
	calls := []string{
		`{"jsonrpc":"2.0","method":"wrapped","id":1}`,
		`{"jsonrpc":"2.0","method":"panicValue","id":1}`,
		`{"jsonrpc":"2.0","method":"panicError","id":1}`,
		`{"jsonrpc":"2.0","method":"badResult","id":1}`,
		`{"jsonrpc":"2.0","method":"add","params":{"a":"x","b":1e400},"id":1}`,
		`{"jsonrpc":"2.0","method":"add","params":{"a":{"b":[1]}},"id":1}`,
		`{"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1}`,
		`[{"jsonrpc":"2.0","method":"wrapped","id":1},{"jsonrpc":"2.0","method":"panicValue","id":2}]`,
	}
	for _, validation := range []bool{true, false} {
		var logs logBuffer
		s := server.New(server.WithLogger(logs.logger()), server.WithValidation(validation))
		s.MustAdd(methods...)
		ts := serve(t, s)
		ws := dial(t, ts, nil)
		for _, c := range calls {
			answers := map[string]string{
				"Handle": call(s, c),
				"HTTP":   post(t, ts.URL, "application/json", c).body,
				"WS":     roundTrip(t, ws, c),
			}
			for transport, got := range answers {
				for _, secret := range secrets {
					if strings.Contains(got, secret) {
						t.Errorf("validation %v, %s, %s: answer leaks %q: %s", validation, transport, c, secret, got)
					}
				}
			}
		}
		// The details are in the log, for the operator.
		for _, want := range []string{"hunter2", "/etc/shadow", "goroutine "} {
			if !strings.Contains(logs.String(), want) {
				t.Errorf("validation %v: %q not logged", validation, want)
			}
		}
	}
	// WithExposeErrors sends the error text, for debugging.
	s := server.New(server.WithExposeErrors(true))
	s.MustAdd(methods...)
	if got := call(s, calls[0]); !strings.Contains(got, "/etc/shadow") {
		t.Errorf("WithExposeErrors(true): %s", got)
	}
}

// TestAuth_middlewareInFront shows the documented way to put
// authentication in front of a server: an http.Handler middleware sees
// every HTTP call and every WebSocket handshake, refuses unknown callers
// before any JSON-RPC parsing, and hands the identity to handlers through
// the request context (server.RequestFromContext).
func TestAuth_middlewareInFront(t *testing.T) {
	leakcheck.Check(t)
	type userKey struct{}
	auth := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || token != "alice-token" {
				w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, "alice")))
		})
	}
	var reached int
	s := server.New()
	s.MustAdd(server.FuncNoParams("whoami", func(ctx context.Context) (string, error) {
		reached++
		user, _ := server.RequestFromContext(ctx).Context().Value(userKey{}).(string)
		return user, nil
	}))
	ts := httptestServer(t, s, auth)
	body := `{"jsonrpc":"2.0","method":"whoami","id":1}`
	for _, header := range []string{"", "Bearer wrong", "Basic alice-token"} {
		r := doWithAuth(t, ts, header, body)
		if r.status != http.StatusUnauthorized {
			t.Errorf("Authorization %q: HTTP %d %s", header, r.status, r.body)
		}
		h := http.Header{}
		if header != "" {
			h.Set("Authorization", header)
		}
		if status, _ := dialStatus(t, wsURL(ts), h); status != http.StatusUnauthorized {
			t.Errorf("WebSocket with Authorization %q: HTTP %d", header, status)
		}
	}
	if reached != 0 {
		t.Fatalf("unauthenticated calls reached the handler %d times", reached)
	}
	if r := doWithAuth(t, ts, "Bearer alice-token", body); r.status != 200 || r.body != `{"jsonrpc":"2.0","id":1,"result":"alice"}` {
		t.Errorf("authenticated HTTP call: %d %s", r.status, r.body)
	}
	ws := dial(t, ts, http.Header{"Authorization": {"Bearer alice-token"}})
	if got := roundTrip(t, ws, body); got != `{"jsonrpc":"2.0","id":1,"result":"alice"}` {
		t.Errorf("authenticated WebSocket call: %s", got)
	}
}

// httptestServer serves s behind mw.
func httptestServer(t *testing.T, s *server.Server, mw func(http.Handler) http.Handler) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(mw(s))
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return ts
}

func doWithAuth(t *testing.T, ts *httptest.Server, auth, body string) httpResult {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, ts.URL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return httpResult{resp.StatusCode, resp.Header, string(b)}
}
