package demo_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc/examples/demo"
)

// docExample is one example pairing of a method of openrpc.json.
type docExample struct {
	method    string
	name      string
	byPos     json.RawMessage // params as an array, in the method's order
	byName    json.RawMessage // params as an object; nil when not allowed
	result    any
	hasResult bool
}

// examplesOf reads every example of every method of the document.
func examplesOf(t *testing.T, doc []byte) []docExample {
	t.Helper()
	var d struct {
		Methods []struct {
			Name           string `json:"name"`
			ParamStructure string `json:"paramStructure"`
			Params         []struct {
				Name string `json:"name"`
			} `json:"params"`
			Examples []struct {
				Name   string `json:"name"`
				Params []struct {
					Name  string          `json:"name"`
					Value json.RawMessage `json:"value"`
				} `json:"params"`
				Result *struct {
					Value json.RawMessage `json:"value"`
				} `json:"result"`
			} `json:"examples"`
		} `json:"methods"`
	}
	if err := json.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	var out []docExample
	for _, m := range d.Methods {
		for _, ex := range m.Examples {
			x := docExample{method: m.Name, name: ex.Name}
			var pos []json.RawMessage
			named := map[string]json.RawMessage{}
			for i, p := range ex.Params {
				pos = append(pos, p.Value)
				// Example params pair with the method's params by position.
				if i < len(m.Params) {
					named[m.Params[i].Name] = p.Value
				}
			}
			if pos == nil {
				pos = []json.RawMessage{}
			}
			x.byPos, _ = json.Marshal(pos)
			if m.ParamStructure != "by-position" && len(named) == len(ex.Params) {
				x.byName, _ = json.Marshal(named)
			}
			if ex.Result != nil {
				x.hasResult = true
				if err := json.Unmarshal(ex.Result.Value, &x.result); err != nil {
					t.Fatalf("%s / %s: result: %v", m.Name, ex.Name, err)
				}
			}
			out = append(out, x)
		}
	}
	return out
}

// TestExamplesHold replays every example of openrpc.json, params by
// position and (where the method allows it) by name, each against a fresh
// demo server, over HTTP and over WebSocket, and checks that the answer is
// the example's result. This is what tools such as open-rpc-test-coverage
// do against a running server.
func TestExamplesHold(t *testing.T) {
	doc, err := os.ReadFile(openrpcPath)
	if err != nil {
		t.Fatal(err)
	}
	examples := examplesOf(t, doc)
	if len(examples) < 10 {
		t.Fatalf("only %d examples in openrpc.json", len(examples))
	}
	transports := map[string]func(t *testing.T, url string, req []byte) []byte{
		"HTTP":      postOnce,
		"WebSocket": callOverWebSocket,
	}
	for _, x := range examples {
		forms := map[string]json.RawMessage{"by-position": x.byPos}
		if x.byName != nil {
			forms["by-name"] = x.byName
		}
		for form, params := range forms {
			for tname, roundTrip := range transports {
				t.Run(x.method+"/"+x.name+"/"+form+"/"+tname, func(t *testing.T) {
					srv := httptest.NewServer(demo.New(nil))
					defer srv.Close()
					req, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": x.method, "params": params, "id": 1})
					answer := roundTrip(t, srv.URL, req)
					var resp struct {
						Result json.RawMessage `json:"result"`
						Error  json.RawMessage `json:"error"`
					}
					if err := json.Unmarshal(answer, &resp); err != nil || resp.Error != nil || resp.Result == nil {
						t.Fatalf("%s → %s", req, answer)
					}
					var got any
					json.Unmarshal(resp.Result, &got)
					if x.hasResult && !reflect.DeepEqual(got, x.result) {
						t.Errorf("%s → result %s, want the example's %v", req, resp.Result, x.result)
					}
				})
			}
		}
	}
}

// postOnce posts one request and returns the answer's body.
func postOnce(t *testing.T, url string, req []byte) []byte {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(req))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d %s %v", resp.StatusCode, body, err)
	}
	return body
}

// callOverWebSocket sends one request over a new WebSocket connection and
// returns the response with id 1, skipping the notifications the server
// pushes before it.
func callOverWebSocket(t *testing.T, url string, req []byte) []byte {
	t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(url, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := ws.WriteMessage(websocket.TextMessage, req); err != nil {
		t.Fatal(err)
	}
	for {
		_, frame, err := ws.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
		}
		json.Unmarshal(frame, &m)
		if m.Method == "" && string(m.ID) == "1" {
			return frame
		}
	}
}
