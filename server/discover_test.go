package server_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/validate"
)

// discoverDoc fetches the document over HTTP with rpc.discover.
func discoverDoc(t *testing.T, url string) json.RawMessage {
	t.Helper()
	r := post(t, url, "application/json", `{"jsonrpc":"2.0","method":"rpc.discover","id":1}`)
	var resp struct{ Result json.RawMessage }
	if err := json.Unmarshal([]byte(r.body), &resp); err != nil || resp.Result == nil {
		t.Fatalf("rpc.discover: %v %s", err, r.body)
	}
	return resp.Result
}

func TestDiscover_metaSchema(t *testing.T) {
	leakcheck.Check(t)
	s := demo.New(nil)
	ts := serve(t, s)
	doc := discoverDoc(t, ts.URL)
	if err := validate.OpenRPCDocument(doc); err != nil {
		t.Fatalf("the document does not validate against the OpenRPC 1.3.2 meta-schema: %v", err)
	}
	pretty, err := s.OpenRPCJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, doc, pretty) {
		t.Error("rpc.discover and OpenRPCJSON differ")
	}
	var d struct {
		OpenRPC string `json:"openrpc"`
		Methods []struct {
			Name   string `json:"name"`
			Errors []struct {
				Code int `json:"code"`
			} `json:"errors"`
		} `json:"methods"`
	}
	json.Unmarshal(doc, &d)
	if d.OpenRPC != "1.3.2" {
		t.Errorf("openrpc %q", d.OpenRPC)
	}
	names := map[string]bool{}
	for _, m := range d.Methods {
		names[m.Name] = true
		if strings.HasPrefix(m.Name, "rpc.") {
			t.Errorf("%s is listed", m.Name)
		}
	}
	if len(names) != len(s.Methods()) {
		t.Errorf("document lists %d methods, server has %d", len(names), len(s.Methods()))
	}
	// Declared errors are listed.
	for _, m := range d.Methods {
		if m.Name == "get_user_by_uuid" && (len(m.Errors) != 1 || m.Errors[0].Code != int(demo.CodeUserNotFound)) {
			t.Errorf("get_user_by_uuid errors: %+v", m.Errors)
		}
	}
}

// TestDiscover_examplesHold replays every example of the demo's document
// against a fresh demo server over WebSocket.
func TestDiscover_examplesHold(t *testing.T) {
	leakcheck.Check(t)
	var doc struct {
		Methods []struct {
			Name           string `json:"name"`
			ParamStructure string `json:"paramStructure"`
			Examples       []struct {
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
	ts := serve(t, demo.New(nil))
	if err := json.Unmarshal(discoverDoc(t, ts.URL), &doc); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range doc.Methods {
		for _, ex := range m.Examples {
			n++
			t.Run(m.Name+"/"+ex.Name, func(t *testing.T) {
				fresh := serve(t, demo.New(nil))
				ws := dial(t, fresh, nil)
				var params any
				if m.ParamStructure == "by-position" {
					arr := []json.RawMessage{}
					for _, p := range ex.Params {
						arr = append(arr, p.Value)
					}
					params = arr
				} else {
					obj := map[string]json.RawMessage{}
					for _, p := range ex.Params {
						obj[p.Name] = p.Value
					}
					params = obj
				}
				req, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": m.Name, "params": params, "id": "ex"})
				send(t, ws, string(req))
				for {
					var resp struct {
						ID     json.RawMessage `json:"id"`
						Result json.RawMessage `json:"result"`
						Error  json.RawMessage `json:"error"`
					}
					frame := recv(t, ws)
					json.Unmarshal([]byte(frame), &resp)
					if resp.ID == nil { // a notification the method pushed
						continue
					}
					if resp.Error != nil {
						t.Fatalf("%s: %s", req, frame)
					}
					want := json.RawMessage("null")
					if ex.Result != nil && ex.Result.Value != nil {
						want = ex.Result.Value
					}
					if !sameJSON(t, resp.Result, want) {
						t.Errorf("%s: result %s, example says %s", req, resp.Result, want)
					}
					break
				}
			})
		}
	}
	if n < 10 {
		t.Errorf("only %d examples replayed", n)
	}
}
