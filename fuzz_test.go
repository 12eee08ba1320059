package schemarpc_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/schemarpc/schemarpc"
)

// decodeSeeds are the hand-written seeds of FuzzDecoder; the committed
// corpus in testdata/fuzz/FuzzDecoder holds more.
var decodeSeeds = []string{
	`{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"1"}`,
	`{"jsonrpc":"2.0","method":"notify_hello","params":[7]}`,
	`[{"jsonrpc":"2.0","method":"a","id":1},{"jsonrpc":"2.0","method":"b"},1,[],{"jsonrpc":"2.0","id":2,"result":3}]`,
	`{"jsonrpc":"2.0","id":-0,"error":{"code":-32600,"message":"x","data":[1]}}`,
	`{"jsonrpc":"2.0","method":"m","id":{"a":1}}`,
	`{"jsonrpc":"2.0","method":"m","id":1,"id":2}`,
	`{"jsonrpc":"2.0","method":"m","x":1,"x":2,"id":1}`,
	`{"jsonrpc":"2.0","method":"m","params":"str","id":1}`,
	`{"jsonrpc":"1.0","method":"m","id":1}`,
	`{"jsonrpc":"2.0","method":"m\u0000\ud800","id":"\u00e9"}`,
	`{"jsonrpc":"2.0","method":"m","params":[1e400,-1e-400,123456789012345678901234567890],"id":1e3}`,
	`{"jsonrpc":"2.0","method":"m","params":[NaN],"id":1}`,
	"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\",\"id\":1}",
	`[]`, `[[[[`, `{"jsonrpc":"2.0"`, ` 1 `, `null`, ``,
}

// FuzzDecoder checks the strict decoder: it never panics; it accepts only
// payloads that encoding/json accepts and that are valid UTF-8; each
// decoded request has an array or object as params, re-encodes to valid
// JSON and decodes back to the same method, id and params.
func FuzzDecoder(f *testing.F) {
	for _, s := range decodeSeeds {
		f.Add([]byte(s))
	}
	dec := schemarpc.Decoder{MaxBatch: 20, MaxDepth: 64}
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, batch, derr := dec.Decode(data)
		if derr != nil {
			if derr.Code != schemarpc.CodeParseError && derr.Code != schemarpc.CodeInvalidRequest {
				t.Fatalf("payload error with code %d: %v", derr.Code, derr)
			}
			if derr.Code == schemarpc.CodeInvalidRequest && (!json.Valid(data) || !utf8.Valid(data)) {
				t.Fatalf("invalid JSON %q answered %v, want a parse error", data, derr)
			}
			return
		}
		if !json.Valid(data) || !utf8.Valid(data) {
			t.Fatalf("decoder accepted invalid JSON or UTF-8: %q", data)
		}
		if len(msgs) == 0 || (!batch && len(msgs) != 1) || len(msgs) > 20 {
			t.Fatalf("%d messages (batch %v) for %q", len(msgs), batch, data)
		}
		for _, m := range msgs {
			n := 0
			for _, set := range []bool{m.Request != nil, m.Response != nil, m.Err != nil} {
				if set {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("message with %d of request, response, error: %+v", n, m)
			}
			if m.Err != nil {
				if m.Err.Code != schemarpc.CodeInvalidRequest {
					t.Fatalf("member error with code %d", m.Err.Code)
				}
				continue
			}
			if r := m.Request; r != nil {
				checkRequestRoundTrip(t, r)
			}
			if r := m.Response; r != nil {
				out, err := r.AppendJSON(nil)
				if err != nil || !json.Valid(out) {
					t.Fatalf("response re-encodes to %q, %v", out, err)
				}
			}
		}
	})
}

func checkRequestRoundTrip(t *testing.T, r *schemarpc.Request) {
	t.Helper()
	if p := bytes.TrimLeft(r.Params, " \t\r\n"); len(r.Params) > 0 && p[0] != '[' && p[0] != '{' {
		t.Fatalf("params %q are neither an array nor an object", r.Params)
	}
	if raw := r.ID.Raw(); raw != "" && raw != "null" && raw[0] != '"' && !strings.ContainsAny(raw[:1], "-0123456789") {
		t.Fatalf("id %q is neither a string nor a number", raw)
	}
	out, err := r.AppendJSON(nil)
	if err != nil {
		t.Fatalf("re-encoding %+v: %v", r, err)
	}
	msgs, batch, derr := schemarpc.Decode(out)
	if derr != nil || batch || len(msgs) != 1 || msgs[0].Request == nil {
		t.Fatalf("re-encoded request %s does not decode: %v", out, derr)
	}
	back := msgs[0].Request
	if back.ID != r.ID || !sameJSONValue(back.Params, r.Params) {
		t.Fatalf("round trip changed the request:\n%s\n%+v", out, back)
	}
	if utf8.ValidString(r.Method) && back.Method != r.Method {
		t.Fatalf("round trip changed the method %q to %q", r.Method, back.Method)
	}
}

func sameJSONValue(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var va, vb any
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	if da.Decode(&va) != nil || db.Decode(&vb) != nil {
		return false
	}
	ja, _ := json.Marshal(va)
	jb, _ := json.Marshal(vb)
	return bytes.Equal(ja, jb)
}
