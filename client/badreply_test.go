package client_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
)

// rawServer answers every POST with status, contentType ("" for none) and
// body, as a misbehaving server or a proxy in front of one would.
func rawServer(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType == "" {
			w.Header()["Content-Type"] = nil // no sniffing either
		} else {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// TestBadReplies: answers that are not JSON-RPC say what came back (status,
// content type, an excerpt stripped of control characters), are
// ErrInvalidResponse or an *HTTPStatusError, and never pass for an error
// answer of the server (no *schemarpc.Error in the chain).
func TestBadReplies(t *testing.T) {
	checkLeaks(t)
	ctx := testCtx(t)
	html := "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1></body></html>\n"
	for _, tc := range []struct {
		name              string
		status            int
		contentType, body string
		batch             bool
		invalid           bool     // ErrInvalidResponse, else *HTTPStatusError
		want              []string // in the message
	}{
		{name: "HTML page", status: 200, contentType: "text/html; charset=utf-8", body: html, invalid: true,
			want: []string{"client: invalid response: not JSON (HTTP 200)", `Content-Type "text/html; charset=utf-8"`, "body: <!DOCTYPE html> <html><head><title>502 Bad Gateway"}},
		{name: "garbage", status: 200, body: "\x00\x01garbage\x1b[2J", invalid: true,
			want: []string{"not JSON (HTTP 200), no Content-Type, body: garbage"}},
		{name: "response without result or error", status: 200, contentType: "application/json", body: `{"jsonrpc":"2.0","id":1}`, invalid: true,
			want: []string{`a response must have a "result" or an "error" (HTTP 200)`}},
		{name: "request", status: 200, contentType: "application/json", body: `{"jsonrpc":"2.0","method":"x","id":1}`, invalid: true,
			want: []string{`a request (method "x"), not a response`}},
		{name: "string", status: 200, contentType: "application/json", body: `"hello"`, invalid: true,
			want: []string{`not a JSON object or array`}},
		{name: "array for one call", status: 200, contentType: "application/json", body: `[{"jsonrpc":"2.0","id":1,"result":{}}]`, invalid: true,
			want: []string{"a JSON array (batch) in reply to a single request"}},
		{name: "HTML error page", status: 502, contentType: "text/html", body: html,
			want: []string{"unexpected HTTP status 502 Bad Gateway", `Content-Type "text/html"`, "body: <!DOCTYPE html>"}},
		{name: "empty error page", status: 500,
			want: []string{"unexpected HTTP status 500 Internal Server Error, no Content-Type, empty body"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := client.NewHTTP(rawServer(t, tc.status, tc.contentType, tc.body))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			err = c.Call(ctx, "ping", nil, nil)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not say %q", msg, w)
				}
			}
			if strings.ContainsAny(msg, "\x00\x01\x1b\n") {
				t.Errorf("control characters in %q", msg)
			}
			if e := schemarpc.AsError(err); e != nil {
				t.Errorf("an answer that is not JSON-RPC passes for the server's error %v", e)
			}
			var se *client.HTTPStatusError
			if tc.invalid {
				var ire *client.InvalidResponseError
				if !errors.Is(err, client.ErrInvalidResponse) || !errors.As(err, &ire) {
					t.Fatalf("%v: not an *InvalidResponseError", err)
				}
				if ire.StatusCode != tc.status || ire.ContentType != tc.contentType || string(ire.Body) != tc.body {
					t.Errorf("InvalidResponseError %+v", ire)
				}
			} else if !errors.As(err, &se) || se.StatusCode != tc.status || se.ContentType != tc.contentType {
				t.Errorf("%v: want an *HTTPStatusError %d", err, tc.status)
			}
		})
	}
}

// TestBadReplies_batch: an array stays the answer a batch wants.
func TestBadReplies_batch(t *testing.T) {
	ctx := testCtx(t)
	c, _ := client.NewHTTP(rawServer(t, 200, "application/json", `[{"jsonrpc":"2.0","id":1}]`))
	defer c.Close()
	_, err := c.DirectBatch(ctx, []*schemarpc.Request{{Method: "a", ID: schemarpc.Int64ID(1)}})
	if !errors.Is(err, client.ErrInvalidResponse) || !strings.Contains(err.Error(), `a response must have a "result" or an "error"`) {
		t.Errorf("err = %v", err)
	}
}

// TestBadReplies_serverMessageControlCharacters: an error message with
// escape sequences in a JSON-RPC error inside a non-2xx answer is printed
// without them.
func TestBadReplies_serverMessageControlCharacters(t *testing.T) {
	ctx := testCtx(t)
	c, _ := client.NewHTTP(rawServer(t, 503, "application/json", `{"jsonrpc":"2.0","id":null,"error":{"code":-32000,"message":"\u001b[31mdown\u001b[0m\u0007"}}`))
	defer c.Close()
	err := c.Call(ctx, "ping", nil, nil)
	if err == nil || strings.ContainsAny(err.Error(), "\x1b\x07") || !strings.Contains(err.Error(), "down") {
		t.Errorf("err = %q", err)
	}
}
