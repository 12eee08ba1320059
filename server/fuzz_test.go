package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

// The fuzz targets of this file feed hostile bytes to the HTTP handler and
// to a WebSocket connection, and check every answer with checkAnswer.

type fuzzEcho struct {
	Message string `json:"message"`
	N       int    `json:"n"`
}

// fuzzServer serves echo (named params), sum (variadic), none (no params),
// raw (params as sent) and fail (an uncoded error).
func fuzzServer(opts ...server.Option) *server.Server {
	s := server.New(append([]server.Option{server.WithMaxBatch(16), server.WithReadLimit(8 << 10), server.WithMaxDepth(32)}, opts...)...)
	s.MustAdd(
		server.Func("echo", func(_ context.Context, p fuzzEcho) (fuzzEcho, error) { return p, nil }),
		server.Variadic("sum", "x", func(_ context.Context, xs []float64) (float64, error) {
			var t float64
			for _, x := range xs {
				t += x
			}
			return t, nil
		}),
		server.FuncNoParams("none", func(context.Context) (string, error) { return "ok", nil }),
		server.Raw("raw", func(_ context.Context, p json.RawMessage) (any, error) {
			if p == nil {
				return json.RawMessage("null"), nil
			}
			return p, nil
		}),
		server.FuncNoParams("fail", func(context.Context) (int, error) { return 0, fmt.Errorf("*sql.DB: secret") }),
	)
	return s
}

var fuzzSeeds = []string{
	`{"jsonrpc":"2.0","method":"echo","params":{"message":"hi","n":1},"id":1}`,
	`{"jsonrpc":"2.0","method":"echo","params":["hi",1],"id":"a"}`,
	`{"jsonrpc":"2.0","method":"echo","params":["hi",1,2],"id":-0}`,
	`{"jsonrpc":"2.0","method":"sum","params":[1,2.5,1e308,1e308],"id":1.50}`,
	`{"jsonrpc":"2.0","method":"sum","params":{"x":1},"id":null}`,
	`{"jsonrpc":"2.0","method":"none","params":[],"id":[1]}`,
	`{"jsonrpc":"2.0","method":"raw","params":{"a":[{"b":null}]},"id":{}}`,
	`{"jsonrpc":"2.0","method":"fail","id":true}`,
	`{"jsonrpc":"2.0","method":"rpc.discover","id":1}`,
	`{"jsonrpc":"2.0","method":"rpc.other","id":1}`,
	`{"jsonrpc":"2.0","method":"echo","params":"hi","id":1}`,
	`{"jsonrpc":"2.0","method":"echo","id":1,"id":2}`,
	`{"jsonrpc":"1.0","method":"echo","id":1}`,
	`{"method":"echo","id":1}`,
	`{"jsonrpc":"2.0","id":1,"result":1}`,
	`[{"jsonrpc":"2.0","method":"none","id":1},{"jsonrpc":"2.0","method":"none"},{"jsonrpc":"2.0","method":"none","id":"x"},3]`,
	`[{"jsonrpc":"2.0","method":"none"}]`,
	`{"jsonrpc":"2.0","method":"none"}`,
	`[]`, `[[]]`, `{`, `nul`, `"str"`, `123`,
	"{\"jsonrpc\":\"2.0\",\"method\":\"echo\",\"params\":[\"\xff\",1],\"id\":1}",
	`{"jsonrpc":"2.0","method":"raw","params":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"id":1}`,
	`{"jsonrpc":"2.0","method":"sum","params":[NaN, Infinity],"id":1}`,
}

// FuzzServeHTTP posts fuzzed bodies (with a fuzzed Content-Type) to the
// HTTP handler. Every answer must come back with a status of the
// documented set (200, 204, 413, 415) and a JSON-RPC 2.0 body whose
// responses carry the ids of the requests they answer.
func FuzzServeHTTP(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), "application/json")
	}
	f.Add([]byte(`{"jsonrpc":"2.0","method":"none","id":1}`), "text/plain")
	f.Add([]byte(`{"jsonrpc":"2.0","method":"none","id":1}`), "application/json; charset=utf-8")
	f.Add(bytes.Repeat([]byte(" "), 9<<10), "application/json")
	s := fuzzServer(server.WithCallTimeout(5 * time.Second))
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		req := httptest.NewRequest(http.MethodPost, "/rpc", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		out := rec.Body.Bytes()
		switch rec.Code {
		case http.StatusOK:
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Fatalf("Content-Type %q", ct)
			}
			checkAnswer(t, 32, body, out)
		case http.StatusNoContent:
			if len(out) != 0 {
				t.Fatalf("204 with a body: %q", out)
			}
			checkAnswer(t, 32, body, nil)
		case http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
			checkNullIDError(t, out, -32600)
			if rec.Code == http.StatusRequestEntityTooLarge && len(body) <= 8<<10 {
				t.Fatalf("413 for %d bytes", len(body))
			}
		default:
			t.Fatalf("HTTP %d for %q: %s", rec.Code, body, out)
		}
	})
}

// FuzzWSFrame sends fuzzed text frames over one real WebSocket
// connection. After each frame it sends a sentinel call; with one frame
// served at a time the answers arrive in order, so every frame before the
// sentinel's answer answers the fuzzed frame. There must be at most one,
// it must pass checkAnswer, and the connection must stay open.
func FuzzWSFrame(f *testing.F) {
	if !fuzzing() {
		leakcheck.Check(f) // the fuzzing engine starts goroutines of its own
	}
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"jsonrpc":"2.0","id":"sentinel-1","result":1}`))
	s := fuzzServer(server.WithConnConcurrency(1), server.WithPingInterval(0))
	ts := httptest.NewServer(s)
	f.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	ws, _, err := websocket.DefaultDialer.Dial(wsURL(ts), nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { ws.Close() })
	n := 0
	f.Fuzz(func(t *testing.T, frame []byte) {
		n++
		sentinel := fmt.Sprintf(`{"jsonrpc":"2.0","method":"echo","params":["sentinel",%d],"id":"sentinel-%d"}`, n, n)
		wantSentinel := fmt.Sprintf(`{"jsonrpc":"2.0","id":"sentinel-%d","result":{"message":"sentinel","n":%d}}`, n, n)
		ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
		if err := ws.WriteMessage(websocket.TextMessage, frame); err != nil {
			t.Fatalf("write: %v", err)
		}
		if err := ws.WriteMessage(websocket.TextMessage, []byte(sentinel)); err != nil {
			t.Fatalf("write sentinel: %v", err)
		}
		var answers [][]byte
		for {
			ws.SetReadDeadline(time.Now().Add(5 * time.Second))
			_, data, err := ws.ReadMessage()
			if err != nil {
				t.Fatalf("after frame %q: %v", frame, err)
			}
			if string(data) == wantSentinel {
				break
			}
			answers = append(answers, data)
		}
		switch len(answers) {
		case 0:
			checkAnswer(t, schemarpc.DefaultMaxDepth, frame, nil)
		case 1:
			checkAnswer(t, schemarpc.DefaultMaxDepth, frame, answers[0])
		default:
			t.Fatalf("frame %q got %d answers: %q", frame, len(answers), answers)
		}
	})
}

// fuzzing reports whether the test binary runs with -fuzz.
func fuzzing() bool {
	fl := flag.Lookup("test.fuzz")
	return fl != nil && fl.Value.String() != ""
}

// checkAnswer checks out, the answer to payload (nil when nothing was
// sent back): it is one JSON-RPC 2.0 response or a non-empty array of them,
// each well formed and echoing the id of the request it answers (null
// only when that id could not be read), in request order; and nothing is
// sent back only for notifications.
func checkAnswer(t *testing.T, maxDepth int, payload, out []byte) {
	t.Helper()
	members, isBatch := requestIDs(payload, maxDepth)
	if out == nil {
		// Only a request or batch made of notifications (and, over
		// WebSocket, responses) gets no answer.
		for _, m := range members {
			if m.hasID && !m.response {
				t.Fatalf("no answer to %q", payload)
			}
		}
		if members == nil {
			t.Fatalf("no answer to %q", payload)
		}
		return
	}
	var resps []map[string]json.RawMessage
	trimmed := bytes.TrimSpace(out)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(out, &resps); err != nil || len(resps) == 0 {
			t.Fatalf("answer %s: not a non-empty array of objects (%v)", out, err)
		}
		if !isBatch && len(members) == 1 {
			t.Fatalf("batch answer %s to a single request %q", out, payload)
		}
	} else {
		var one map[string]json.RawMessage
		if err := json.Unmarshal(out, &one); err != nil {
			t.Fatalf("answer %s: not an object (%v)", out, err)
		}
		resps = append(resps, one)
	}
	for _, r := range resps {
		checkResponse(t, out, r)
	}
	// Ids come back in request order; a null id only where the request's
	// id could not be read.
	if members == nil {
		for _, r := range resps {
			if string(r["id"]) != "null" {
				t.Fatalf("answer %s to an unreadable payload %q has an id", out, payload)
			}
		}
		if len(resps) != 1 {
			t.Fatalf("%d answers to an unreadable payload %q", len(resps), payload)
		}
		return
	}
	if len(resps) > len(members) {
		t.Fatalf("%d answers to %d requests: %s", len(resps), len(members), out)
	}
	j := 0
	for _, m := range members {
		if !m.hasID && m.clean {
			continue // a notification
		}
		if m.response && m.clean {
			continue // over WebSocket, routed to the caller; over HTTP answered -32600 with its id
		}
		if j >= len(resps) {
			t.Fatalf("request %d of %q unanswered: %s", j, payload, out)
		}
		got := string(resps[j]["id"])
		if m.clean && m.goodID && got != m.id {
			t.Fatalf("answer id %s, want %s (payload %q, answer %s)", got, m.id, payload, out)
		}
		if got != "null" && got != m.id {
			t.Fatalf("answer id %s, want %s or null (payload %q, answer %s)", got, m.id, payload, out)
		}
		j++
	}
	// Responses among the members may or may not be answered (HTTP
	// answers them with -32600, WebSocket routes them).
	if j < len(resps) {
		extra := resps[j:]
		for _, r := range extra {
			if string(r["id"]) == "null" {
				continue
			}
			found := slices.ContainsFunc(members, func(m member) bool { return m.response && m.id == string(r["id"]) })
			if !found {
				t.Fatalf("answer with unknown id %s: %s (payload %q)", r["id"], out, payload)
			}
		}
	}
}

// checkResponse checks one response object.
func checkResponse(t *testing.T, out []byte, r map[string]json.RawMessage) {
	t.Helper()
	if string(r["jsonrpc"]) != `"2.0"` {
		t.Fatalf("answer %s: jsonrpc is not \"2.0\"", out)
	}
	id, ok := r["id"]
	if !ok || !(string(id) == "null" || id[0] == '"' || strings.ContainsAny(string(id[:1]), "-0123456789")) {
		t.Fatalf("answer %s: bad id", out)
	}
	_, hasResult := r["result"]
	e, hasError := r["error"]
	if hasResult == hasError || len(r) != 3 {
		t.Fatalf("answer %s: want jsonrpc, id and exactly one of result and error", out)
	}
	if hasError {
		var eo struct {
			Code    *int    `json:"code"`
			Message *string `json:"message"`
		}
		if err := json.Unmarshal(e, &eo); err != nil || eo.Code == nil || eo.Message == nil {
			t.Fatalf("answer %s: malformed error object", out)
		}
		for _, leak := range []string{"sql", "secret", "goroutine", ".go:", "Go struct", "fuzzEcho", "server_test"} {
			if strings.Contains(string(e), leak) {
				t.Fatalf("answer %s leaks %q", out, leak)
			}
		}
	}
}

func checkNullIDError(t *testing.T, out []byte, code int) {
	t.Helper()
	var r map[string]json.RawMessage
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("error body %q: %v", out, err)
	}
	checkResponse(t, out, r)
	var e struct{ Code int }
	json.Unmarshal(r["error"], &e)
	if string(r["id"]) != "null" || e.Code != code {
		t.Fatalf("error body %s: want code %d and a null id", out, code)
	}
}

// member describes one request of a payload as encoding/json reads it.
type member struct {
	id       string // the raw id, compacted; "null" when absent or unusable
	hasID    bool   // the member has an "id"
	goodID   bool   // the id is a string or a number
	clean    bool   // an object without duplicate members, "jsonrpc":"2.0", and a string method (or a response)
	response bool   // it has result or error and no method
}

// requestIDs reads payload with encoding/json. It returns nil when payload
// is not a JSON object or a non-empty array (the server answers one error
// with a null id), else one member per request.
func requestIDs(payload []byte, maxDepth int) ([]member, bool) {
	if !json.Valid(payload) || !utf8.Valid(payload) || depth(payload) > maxDepth {
		return nil, false
	}
	var raw json.RawMessage = bytes.TrimSpace(payload)
	switch raw[0] {
	case '{':
		return []member{readMember(raw)}, false
	case '[':
		var els []json.RawMessage
		json.Unmarshal(raw, &els)
		if len(els) == 0 || len(els) > 16 {
			return nil, true
		}
		out := make([]member, len(els))
		for i, el := range els {
			out[i] = readMember(el)
		}
		return out, true
	}
	return nil, false
}

func readMember(el json.RawMessage) member {
	m := member{id: "null"}
	if len(el) == 0 || el[0] != '{' {
		return m
	}
	keys, dup := objectKeys(el)
	var obj map[string]json.RawMessage
	json.Unmarshal(el, &obj)
	if id, ok := obj["id"]; ok {
		m.hasID = true
		var c bytes.Buffer
		json.Compact(&c, id)
		if !dup && (c.Len() > 0 && (c.Bytes()[0] == '"' || strings.ContainsAny(c.String()[:1], "-0123456789"))) {
			m.goodID = true
			m.id = string(id) // echoed as received
		}
	}
	_, hasMethod := obj["method"]
	_, hasResult := obj["result"]
	_, hasError := obj["error"]
	m.response = !hasMethod && (hasResult || hasError)
	version := string(obj["jsonrpc"]) == `"2.0"`
	method := hasMethod && len(obj["method"]) > 0 && obj["method"][0] == '"'
	params, hasParams := obj["params"]
	paramsOK := !hasParams || (len(params) > 0 && (params[0] == '[' || params[0] == '{'))
	m.clean = !dup && version && ((method && paramsOK) || m.response) && len(keys) > 0
	if m.response && (!m.hasID || (hasResult && hasError)) {
		m.clean = false
	}
	return m
}

// objectKeys returns the member names of a JSON object (unescaped) and
// whether one is given twice.
func objectKeys(obj []byte) ([]string, bool) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	dec.Token() // {
	var keys []string
	dup := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return keys, dup
		}
		k, _ := tok.(string)
		if slices.Contains(keys, k) {
			dup = true
		}
		keys = append(keys, k)
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys, dup
		}
	}
	return keys, dup
}

// depth returns how deeply arrays and objects nest in valid JSON.
func depth(b []byte) int {
	d, max, inString, escaped := 0, 0, false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString:
			if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			d++
			if d > max {
				max = d
			}
		case c == ']' || c == '}':
			d--
		}
	}
	return max
}
