package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

// TestBadInput plays every row of the bad-input table in
// docs/security.md against a server with the default limits and compares
// the answer with the row: HTTP status (or what happens on the WebSocket),
// JSON-RPC code, id and data. A row without a case here, or a case without
// a row, fails the test, so the table and the tests cannot drift apart.

// badInputServer serves add (two integers) and ping, with default limits.
func badInputServer() *server.Server {
	s := server.New()
	s.MustAdd(
		server.Func("add", add),
		server.FuncNoParams("ping", func(context.Context) (string, error) { return "pong", nil }),
	)
	return s
}

// answer is what one bad input got.
type answer struct {
	status string // HTTP status, "frame" (a WebSocket answer) or "close <code>"
	body   string
}

type badInput struct {
	transport string // HTTP or WS
	run       func(t *testing.T, ts *httptest.Server) answer
}

func postAs(contentType, body string) func(*testing.T, *httptest.Server) answer {
	return func(t *testing.T, ts *httptest.Server) answer {
		r := post(t, ts.URL, contentType, body)
		return answer{strconv.Itoa(r.status), r.body}
	}
}

func postJSON(body string) func(*testing.T, *httptest.Server) answer {
	return postAs("application/json", body)
}

func frame(payload string) func(*testing.T, *httptest.Server) answer {
	return func(t *testing.T, ts *httptest.Server) answer {
		ws := dial(t, ts, nil)
		got := roundTrip(t, ws, payload)
		// The connection stays open and keeps serving.
		if again := roundTrip(t, ws, `{"jsonrpc":"2.0","method":"ping","id":"after"}`); again != `{"jsonrpc":"2.0","id":"after","result":"pong"}` {
			t.Errorf("after the bad frame: %s", again)
		}
		return answer{"frame", got}
	}
}

// frameNoAnswer sends payload, then a ping: the ping's answer must be the
// next frame, as payload gets none.
func frameNoAnswer(payload string) func(*testing.T, *httptest.Server) answer {
	return func(t *testing.T, ts *httptest.Server) answer {
		ws := dial(t, ts, nil)
		send(t, ws, payload)
		if got := roundTrip(t, ws, `{"jsonrpc":"2.0","method":"ping","id":"after"}`); got != `{"jsonrpc":"2.0","id":"after","result":"pong"}` {
			t.Errorf("next frame: %s", got)
		}
		return answer{"none", ""}
	}
}

func pingBatch(n int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"jsonrpc":"2.0","method":"ping","id":` + strconv.Itoa(i) + `}`)
	}
	b.WriteByte(']')
	return b.String()
}

var badInputs = map[string]badInput{
	"wrong jsonrpc":       {"HTTP", postJSON(`{"jsonrpc":"1.0","method":"ping","id":1}`)},
	"missing jsonrpc":     {"HTTP", postJSON(`{"method":"ping","id":1}`)},
	"object id":           {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"ping","id":{"a":1}}`)},
	"array id":            {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"ping","id":[1]}`)},
	"boolean id":          {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"ping","id":true}`)},
	"string params":       {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"add","params":"1,2","id":1}`)},
	"method not a string": {"HTTP", postJSON(`{"jsonrpc":"2.0","method":1,"id":1}`)},
	"rpc.* name":          {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"rpc.admin","id":1}`)},
	"unknown method":      {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"nope","id":1}`)},
	"wrong Content-Type":  {"HTTP", postAs("text/plain", `{"jsonrpc":"2.0","method":"ping","id":1}`)},
	"no Content-Type":     {"HTTP", postAs("", `{"jsonrpc":"2.0","method":"ping","id":1}`)},
	"oversize body": {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"ping","id":1,"pad":"` +
		strings.Repeat("x", server.DefaultReadLimit) + `"}`)},
	"truncated body":             {"HTTP", truncatedBody},
	"100k-deep nesting":          {"HTTP", postJSON(strings.Repeat("[", 100000) + strings.Repeat("]", 100000))},
	"100k-deep params":           {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"add","params":` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `,"id":1}`)},
	"invalid UTF-8":              {"HTTP", postJSON("{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"id\":\"\xff\"}")},
	"duplicate keys":             {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"ping","id":1,"id":2}`)},
	"huge number param":          {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"add","params":[1e400,1],"id":1}`)},
	"huge integer param":         {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"add","params":[123456789012345678901234567890,1],"id":1}`)},
	"huge exponent param":        {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"add","params":[1e1000001,1],"id":1}`)},
	"huge number id":             {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"ping","id":1e400}`)},
	"NaN-like token":             {"HTTP", postJSON(`{"jsonrpc":"2.0","method":"add","params":[NaN,Infinity],"id":1}`)},
	"not JSON":                   {"HTTP", postJSON(`{"jsonrpc":"2.0",`)},
	"empty batch":                {"HTTP", postJSON(`[]`)},
	"10k batch":                  {"HTTP", postJSON(pingBatch(10000))},
	"cross-origin WS":            {"HTTP", crossOrigin},
	"GET without Upgrade":        {"HTTP", getPlain},
	"truncated frame":            {"WS", frame(`{"jsonrpc":"2.0","method":"ping","id":1`)},
	"invalid UTF-8 frame":        {"WS", frame("{\"jsonrpc\":\"2.0\",\"method\":\"\xc3\x28\",\"id\":1}")},
	"10k batch frame":            {"WS", frame(pingBatch(10000))},
	"response frame":             {"WS", frameNoAnswer(`{"jsonrpc":"2.0","id":"x","result":1}`)},
	"invalid notification frame": {"WS", frame(`{"jsonrpc":"2.0","method":"nope","params":"bad"}`)},
	"oversize frame":             {"WS", oversizeFrame},
}

func truncatedBody(t *testing.T, ts *httptest.Server) answer {
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\":")
	conn.(*net.TCPConn).CloseWrite()
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufioReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{strconv.Itoa(resp.StatusCode), string(b)}
}

func crossOrigin(t *testing.T, ts *httptest.Server) answer {
	status, body := dialStatus(t, wsURL(ts), http.Header{"Origin": {"https://evil.example"}})
	return answer{strconv.Itoa(status), body}
}

func getPlain(t *testing.T, ts *httptest.Server) answer {
	r := do(t, http.MethodGet, ts.URL, "", "")
	if r.header.Get("Allow") != "POST" {
		t.Errorf("Allow: %q", r.header.Get("Allow"))
	}
	return answer{strconv.Itoa(r.status), r.body}
}

func oversizeFrame(t *testing.T, ts *httptest.Server) answer {
	ws := dial(t, ts, nil)
	big := `{"jsonrpc":"2.0","method":"ping","id":1,"pad":"` + strings.Repeat("x", server.DefaultReadLimit) + `"}`
	ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	ws.WriteMessage(websocket.TextMessage, []byte(big)) // may fail once the server has closed
	ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	_, data, err := ws.ReadMessage()
	var ce *websocket.CloseError
	if err == nil || !asCloseError(err, &ce) {
		t.Fatalf("got %q, %v; want a close frame", data, err)
	}
	return answer{"close " + strconv.Itoa(ce.Code), ""}
}

// badRow is one row of the table in docs/security.md.
type badRow struct {
	name, transport, status, code, id, data string
}

// readBadInputTable reads the rows between the bad-input-table markers.
func readBadInputTable(t *testing.T) []badRow {
	t.Helper()
	doc, err := os.ReadFile("../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := bytes.Cut(doc, []byte("<!-- bad-input-table -->"))
	table, _, ok2 := bytes.Cut(rest, []byte("<!-- /bad-input-table -->"))
	if !ok || !ok2 {
		t.Fatal("docs/security.md: no bad-input-table markers")
	}
	var rows []badRow
	for line := range strings.Lines(string(table)) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|--") || strings.HasPrefix(line, "| Input") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if len(cells) != 7 {
			t.Fatalf("docs/security.md: row %q has %d cells, want 7", line, len(cells))
		}
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		rows = append(rows, badRow{cells[0], cells[1], cells[3], cells[4], cells[5], cells[6]})
	}
	return rows
}

// summarize turns an answer into the cells of its row.
func summarize(t *testing.T, a answer) badRow {
	if a.body == "" {
		return badRow{status: a.status, code: "—", id: "—", data: "—"}
	}
	var resp struct {
		ID    json.RawMessage
		Error *struct {
			Code int
			Data json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(a.body), &resp); err != nil {
		t.Fatalf("answer %q: %v", a.body, err)
	}
	row := badRow{status: a.status, code: "result", id: string(resp.ID), data: "—"}
	if resp.Error != nil {
		row.code = strconv.Itoa(resp.Error.Code)
		if len(resp.Error.Data) > 0 {
			row.data = string(resp.Error.Data)
		}
	}
	return row
}

func TestBadInput(t *testing.T) {
	leakcheck.Check(t)
	s := badInputServer()
	ts := serve(t, s)
	rows := readBadInputTable(t)
	seen := map[string]bool{}
	for _, row := range rows {
		c, ok := badInputs[row.name]
		if !ok {
			t.Errorf("docs/security.md row %q has no case in TestBadInput", row.name)
			continue
		}
		seen[row.name] = true
		t.Run(row.name, func(t *testing.T) {
			if c.transport != row.transport {
				t.Errorf("transport %s, the table says %s", c.transport, row.transport)
			}
			got := summarize(t, c.run(t, ts))
			got.name, got.transport = row.name, row.transport
			if got != row {
				t.Errorf("answer differs from docs/security.md:\ngot  | %s | %s | … | %s | %s | `%s` | `%s` |\nwant | %s | %s | … | %s | %s | `%s` | `%s` |",
					got.name, got.transport, got.status, got.code, got.id, got.data,
					row.name, row.transport, row.status, row.code, row.id, row.data)
			}
		})
	}
	for name := range badInputs {
		if !seen[name] {
			t.Errorf("case %q is missing from the table in docs/security.md", name)
		}
	}
}

func bufioReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }

func asCloseError(err error, ce **websocket.CloseError) bool { return errors.As(err, ce) }
