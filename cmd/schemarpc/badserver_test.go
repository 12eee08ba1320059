package main

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// replyServer answers every POST with the body reply(id), id being the
// request's id as sent, and the given Content-Type.
func replyServer(t *testing.T, contentType string, reply func(id string) string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID json.RawMessage `json:"id"`
		}
		body, _ := io.ReadAll(r.Body)
		json.Unmarshal(body, &req)
		w.Header().Set("Content-Type", contentType)
		io.WriteString(w, reply(string(req.ID)))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func resultServer(t *testing.T, result string) string {
	return replyServer(t, "application/json", func(id string) string {
		return `{"jsonrpc":"2.0","id":` + id + `,"result":` + result + `}`
	})
}

// TestDiscover_notADocument: discover exits 1, printing nothing on
// standard output, unless the answer is one response whose result looks
// like an OpenRPC document.
func TestDiscover_notADocument(t *testing.T) {
	for _, c := range []struct {
		name, url, want string
	}{
		{"string", resultServer(t, `"hello"`), "answered a string, not an OpenRPC document"},
		{"null", resultServer(t, `null`), "answered null, not an OpenRPC document"},
		{"number", resultServer(t, `42`), "answered a number, not an OpenRPC document"},
		{"array result", resultServer(t, `[1]`), "answered an array, not an OpenRPC document"},
		{"no openrpc", resultServer(t, `{"methods":[]}`), `answered an object without a string "openrpc" member, not an OpenRPC document`},
		{"no methods", resultServer(t, `{"openrpc":"1.3.2","info":{"title":"x","version":"1"}}`), `answered an object without a "methods" array, not an OpenRPC document`},
		{"batch answer", replyServer(t, "application/json", func(id string) string {
			return `[{"jsonrpc":"2.0","id":` + id + `,"result":{"openrpc":"1.3.2","methods":[]}}]`
		}), "a JSON array (batch) in reply to a single request"},
	} {
		r := run(t, nil, "discover", "--timeout", "5s", c.url)
		if r.code != 1 || r.stdout != "" || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%s: %s\nwant exit 1 saying %q", c.name, r, c.want)
		}
	}
	// The smallest plausible document passes (--validate checks the rest).
	if r := run(t, nil, "discover", resultServer(t, `{"openrpc":"1.3.2","methods":[]}`)); r.code != 0 {
		t.Errorf("minimal document: %s", r)
	}
}

// TestCLI_badReplies: an HTML page or garbage is reported as what it is,
// never as an error answer of the server.
func TestCLI_badReplies(t *testing.T) {
	html := replyServer(t, "text/html", func(string) string {
		return "<html>\n<body><h1>It works!</h1></body>\n</html>"
	})
	garbage := replyServer(t, "application/json", func(string) string { return "\x1b[2J\x1b]0;owned\x07nonsense" })
	empty := replyServer(t, "application/json", func(id string) string { return `{"jsonrpc":"2.0","id":` + id + `}` })
	for _, c := range []struct {
		name, url, want string
	}{
		{"html", html, `invalid response: not JSON (HTTP 200), Content-Type "text/html", body: <html> <body><h1>It works!</h1></body> </html>`},
		{"garbage", garbage, `invalid response: not JSON (HTTP 200), Content-Type "application/json", body: nonsense`},
		{"no result", empty, `invalid response: a response must have a "result" or an "error" (HTTP 200)`},
	} {
		for _, args := range [][]string{{"discover", c.url}, {"call", c.url, "ping"}} {
			r := run(t, nil, args...)
			if r.code != 1 || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stderr, "-32700") ||
				strings.ContainsAny(r.stderr, "\x1b\x07") {
				t.Errorf("%s %v: %s\nwant exit 1 saying %q", c.name, args[0], r, c.want)
			}
		}
	}
}

// TestCall_controlCharactersStripped: escape sequences and control
// characters in a server's error message and data are not printed raw.
func TestCall_controlCharactersStripped(t *testing.T) {
	url := replyServer(t, "application/json", func(id string) string {
		return `{"jsonrpc":"2.0","id":` + id + `,"error":{"code":-32000,"message":"\u001b[31mboom\u001b[0m\u0007\r\nFAKE","data":"\u001b]0;title\u0007"}}`
	})
	r := run(t, nil, "call", url, "x")
	if r.code != 1 || strings.ContainsAny(r.stderr, "\x1b\x07\r") || !strings.Contains(r.stderr, "error -32000: boom  FAKE\n") {
		t.Errorf("%s", r)
	}
	r = run(t, nil, "discover", url)
	if r.code != 1 || strings.ContainsAny(r.stderr, "\x1b\x07\r") || !strings.Contains(r.stderr, "error -32000: boom  FAKE") {
		t.Errorf("%s", r)
	}
}

// silentServer accepts TCP connections and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
			go bufio.NewReader(c).ReadString(0)
		}
	}()
	t.Cleanup(func() { ln.Close(); <-done })
	return ln.Addr().String()
}

// TestTimeout_silentServer: --timeout bounds the whole exchange, the
// WebSocket handshake included, against a server that accepts the
// connection and never answers.
func TestTimeout_silentServer(t *testing.T) {
	addr := silentServer(t)
	for _, args := range [][]string{
		{"call", "--timeout", "500ms", "ws://" + addr + "/rpc", "ping"},
		{"discover", "--timeout", "500ms", "ws://" + addr + "/rpc"},
		{"call", "--timeout", "500ms", "http://" + addr + "/rpc", "ping"},
		{"discover", "--timeout", "500ms", "http://" + addr + "/rpc"},
	} {
		start := time.Now()
		r := run(t, nil, args...)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%v: took %v", args, d)
		}
		if r.code != 1 || !strings.Contains(r.stderr, "no answer within 500ms (--timeout)") {
			t.Errorf("%v: %s", args, r)
		}
	}
}

// TestCall_badWebSocketAccept: a 101 answer with a wrong
// Sec-WebSocket-Accept is reported as such.
func TestCall_badWebSocketAccept(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: d3Jvbmc=\r\n\r\n")
		brw.Flush()
		brw.ReadByte()
	}))
	defer srv.Close()
	r := run(t, nil, "call", "ws"+strings.TrimPrefix(srv.URL, "http"), "ping")
	if r.code != 1 || strings.Contains(r.stderr, "unexpected HTTP status") ||
		!strings.Contains(r.stderr, `the server answered 101 Switching Protocols, but its Sec-WebSocket-Accept "d3Jvbmc=" does not match the key sent`) {
		t.Errorf("%s", r)
	}
}
