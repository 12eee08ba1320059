package schemarpc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc"
)

func TestDecode_ids(t *testing.T) {
	for _, raw := range []string{`12345678901234567890`, `1.0`, `-0`, `1e3`, `-1.5E-7`, `"a\u00e9"`, `"aé"`, `""`, `null`, `0`} {
		msgs, batch, err := schemarpc.Decode([]byte(`{"jsonrpc":"2.0","method":"m","id":` + raw + `}`))
		if err != nil || batch || len(msgs) != 1 || msgs[0].Request == nil {
			t.Fatalf("id %s: got %+v, %v, %v", raw, msgs, batch, err)
		}
		req := msgs[0].Request
		if req.ID.Raw() != raw || req.IsNotification() {
			t.Errorf("id %s: got raw %q, notification %v", raw, req.ID.Raw(), req.IsNotification())
		}
		out, _ := (&schemarpc.Response{ID: req.ID, Result: json.RawMessage(`1`)}).AppendJSON(nil)
		if want := `{"jsonrpc":"2.0","id":` + raw + `,"result":1}`; string(out) != want {
			t.Errorf("id %s: response %s, want %s", raw, out, want)
		}
	}
}

func TestDecode_notification(t *testing.T) {
	msgs, _, err := schemarpc.Decode([]byte(`{"jsonrpc":"2.0","method":"m"}`))
	if err != nil || !msgs[0].Request.IsNotification() || !msgs[0].Request.ID.IsZero() {
		t.Fatalf("got %+v, %v", msgs, err)
	}
	msgs, _, _ = schemarpc.Decode([]byte(`{"jsonrpc":"2.0","method":"m","id":null}`))
	if r := msgs[0].Request; r.IsNotification() || !r.ID.IsNull() {
		t.Errorf("id null: notification %v, null %v", r.IsNotification(), r.ID.IsNull())
	}
}

func TestDecode_invalid(t *testing.T) {
	for _, tc := range []struct {
		in     string
		wantID string // raw id echoed, "" for null
	}{
		{`{"jsonrpc":"2.0","method":"m","id":{}}`, ""},
		{`{"jsonrpc":"2.0","method":"m","id":[1]}`, ""},
		{`{"jsonrpc":"2.0","method":"m","id":true}`, ""},
		{`{"jsonrpc":"2.0","method":"m","id":1,"id":1}`, ""},
		{`{"jsonrpc":"2.0","method":"m","method":"m","id":1}`, ""},
		{`{"jsonrpc":"2.0","method":"m","a":1,"a":1,"id":1}`, ""},
		{`{"jsonrpc":"2.0","method":"m","params":"x","id":1}`, "1"},
		{`{"jsonrpc":"2.0","method":"m","params":null,"id":1}`, "1"},
		{`{"jsonrpc":"2.0","method":"m","params":0,"id":1}`, "1"},
		{`{"jsonrpc":"2.0","method":2,"id":1}`, "1"},
		{`{"jsonrpc":"2.1","method":"m","id":1}`, "1"},
		{`{"Jsonrpc":"2.0","method":"m","id":1}`, "1"},
		{`{"jsonrpc":"2.0","METHOD":"m","id":1}`, "1"},
		{`{"jsonrpc":"2.0","id":1}`, "1"},
	} {
		msgs, _, err := schemarpc.Decode([]byte(tc.in))
		if err != nil || len(msgs) != 1 || msgs[0].Err == nil {
			t.Errorf("%s: got %+v, %v; want one member error", tc.in, msgs, err)
			continue
		}
		if got := msgs[0].Err.Code; got != schemarpc.CodeInvalidRequest {
			t.Errorf("%s: code %d", tc.in, got)
		}
		if got := msgs[0].ID.Raw(); got != tc.wantID {
			t.Errorf("%s: id %q, want %q", tc.in, got, tc.wantID)
		}
	}
}

func TestDecode_payloadErrors(t *testing.T) {
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	deepParams := `{"jsonrpc":"2.0","method":"m","id":1,"params":` + strings.Repeat(`{"a":`, 100_000) + "1" + strings.Repeat("}", 100_000) + "}"
	for _, tc := range []struct {
		name string
		in   string
		code schemarpc.Code
	}{
		{"empty", ``, schemarpc.CodeParseError},
		{"spaces", "  \n", schemarpc.CodeParseError},
		{"truncated", `{"jsonrpc":"2.0"`, schemarpc.CodeParseError},
		{"two values", `{} {}`, schemarpc.CodeParseError},
		{"invalid UTF-8", "{\"jsonrpc\":\"2.0\",\"method\":\"\xff\",\"id\":1}", schemarpc.CodeParseError},
		{"deep arrays", deep, schemarpc.CodeParseError},
		{"deep params", deepParams, schemarpc.CodeParseError},
		{"string", `"x"`, schemarpc.CodeInvalidRequest},
		{"number", `1`, schemarpc.CodeInvalidRequest},
		{"empty batch", `[ ]`, schemarpc.CodeInvalidRequest},
	} {
		msgs, _, err := schemarpc.Decode([]byte(tc.in))
		if err == nil || err.Code != tc.code || msgs != nil {
			t.Errorf("%s: got %v, %v; want code %d", tc.name, msgs, err, tc.code)
		}
	}
}

func TestDecoder_maxBatch(t *testing.T) {
	d := schemarpc.Decoder{MaxBatch: 2}
	two := `[{"jsonrpc":"2.0","method":"m","id":1},{"jsonrpc":"2.0","method":"m","id":2}]`
	if msgs, batch, err := d.Decode([]byte(two)); err != nil || !batch || len(msgs) != 2 {
		t.Fatalf("two: %v %v %v", msgs, batch, err)
	}
	three := `[1,2,3]`
	_, batch, err := d.Decode([]byte(three))
	if err == nil || err.Code != schemarpc.CodeInvalidRequest || !batch || !strings.Contains(fmt.Sprint(err.Data), "batch too large") {
		t.Fatalf("three: %v %v", batch, err)
	}
}

func TestDecode_response(t *testing.T) {
	msgs, _, err := schemarpc.Decode([]byte(`{"jsonrpc":"2.0","id":"x","error":{"code":-32602,"message":"Invalid params","data":[1]}}`))
	if err != nil || msgs[0].Response == nil {
		t.Fatalf("got %+v, %v", msgs, err)
	}
	e := msgs[0].Response.Error
	if !errors.Is(e, schemarpc.ErrInvalidParams) || errors.Is(e, schemarpc.ErrInternal) {
		t.Errorf("errors.Is by code failed for %v", e)
	}
	var data []int
	if err := e.DataAs(&data); err != nil || len(data) != 1 || data[0] != 1 {
		t.Errorf("DataAs: %v %v", data, err)
	}
	for _, bad := range []string{
		`{"jsonrpc":"2.0","result":1}`,
		`{"jsonrpc":"2.0","id":1,"result":1,"error":{"code":1,"message":"m"}}`,
		`{"jsonrpc":"2.0","id":1,"error":{"code":1.5,"message":"m"}}`,
		`{"jsonrpc":"2.0","id":1,"error":{"code":1}}`,
	} {
		msgs, _, _ := schemarpc.Decode([]byte(bad))
		if msgs[0].Err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

func TestRequest_roundTrip(t *testing.T) {
	for _, in := range []string{
		`{"jsonrpc":"2.0","id":1.0,"method":"a\u00e9","params":[1]}`,
		`{"jsonrpc":"2.0","method":"n"}`,
	} {
		var r schemarpc.Request
		if err := json.Unmarshal([]byte(in), &r); err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(&r)
		if err != nil {
			t.Fatal(err)
		}
		var back schemarpc.Request
		if err := json.Unmarshal(out, &back); err != nil || back.ID != r.ID || back.Method != r.Method || string(back.Params) != string(r.Params) {
			t.Errorf("%s: round trip gave %s", in, out)
		}
	}
	bad := &schemarpc.Request{Method: "m", Params: json.RawMessage(`1`)}
	if _, err := bad.MarshalJSON(); schemarpc.CodeOf(err) != schemarpc.CodeInvalidRequest {
		t.Errorf("scalar params encoded: %v", err)
	}
}

func TestParseID(t *testing.T) {
	for _, bad := range []string{``, `{}`, `[]`, `true`, `01`, `1.`, `"x`, `- 1`, `nul`} {
		if _, err := schemarpc.ParseID([]byte(bad)); err == nil {
			t.Errorf("ParseID(%q) accepted", bad)
		}
	}
	if id := schemarpc.StringID(`a"b`); id.Raw() != `"a\"b"` {
		t.Errorf("StringID: %s", id.Raw())
	}
	if id := schemarpc.Int64ID(-7); id.Raw() != `-7` || id.String() != "-7" {
		t.Errorf("Int64ID: %s", id.Raw())
	}
	if (schemarpc.ID{}).String() != "<none>" {
		t.Error("zero ID String")
	}
}

type domainErr struct{ user string }

func (e domainErr) Error() string { return "user " + e.user + " is locked" }
func (e domainErr) RPCError() *schemarpc.Error {
	return schemarpc.NewError(-32010, "User locked").WithData(e.user)
}

func TestCodeOf(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want schemarpc.Code
	}{
		{nil, 0},
		{schemarpc.ErrMethodNotFound, schemarpc.CodeMethodNotFound},
		{fmt.Errorf("wrapped: %w", schemarpc.ErrInvalidParams), schemarpc.CodeInvalidParams},
		{schemarpc.Errorf(-32042, "custom %d", 1), -32042},
		{context.Canceled, schemarpc.CodeCanceled},
		{fmt.Errorf("x: %w", context.DeadlineExceeded), schemarpc.CodeDeadlineExceeded},
		{domainErr{"bob"}, -32010},
		{fmt.Errorf("x: %w", domainErr{"bob"}), -32010},
		{errors.New("db password wrong"), schemarpc.CodeInternalError},
	} {
		if got := schemarpc.CodeOf(tc.err); got != tc.want {
			t.Errorf("CodeOf(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
	if e := schemarpc.AsError(domainErr{"bob"}); e == nil || e.Data != "bob" {
		t.Errorf("AsError(RPCError) = %v", e)
	}
	if schemarpc.AsError(errors.New("x")) != nil {
		t.Error("AsError of a plain error is not nil")
	}
}

func TestError_Is(t *testing.T) {
	fromWire := &schemarpc.Error{Code: schemarpc.CodeMethodNotFound, Message: "no such method"}
	if !errors.Is(fromWire, schemarpc.ErrMethodNotFound) {
		t.Error("errors.Is does not match by code")
	}
	if errors.Is(fromWire, schemarpc.ErrInvalidParams) {
		t.Error("errors.Is matches another code")
	}
	if errors.Is(fromWire, errors.New("Method not found")) {
		t.Error("errors.Is matches a non-*Error")
	}
	if !errors.Is(fmt.Errorf("ctx: %w", schemarpc.ErrInvalidParams.WithData(1)), schemarpc.ErrInvalidParams) {
		t.Error("errors.Is through wrapping and WithData")
	}
}

func TestError_WithData(t *testing.T) {
	orig := schemarpc.NewError(-32001, "boom")
	withData := orig.WithData(map[string]int{"n": 1})
	if orig.Data != nil {
		t.Fatal("WithData changed the receiver")
	}
	if withData == orig || withData.Code != orig.Code || withData.Message != orig.Message {
		t.Fatalf("WithData: %+v", withData)
	}
	if schemarpc.ErrInternal.Data != nil || schemarpc.ErrInvalidParams.WithData(1) == schemarpc.ErrInvalidParams {
		t.Fatal("sentinels are shared")
	}
	out, _ := (&schemarpc.Response{ID: schemarpc.Int64ID(1), Error: withData}).AppendJSON(nil)
	if want := `{"jsonrpc":"2.0","id":1,"error":{"code":-32001,"message":"boom","data":{"n":1}}}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
}

func TestCode_String(t *testing.T) {
	for c, want := range map[schemarpc.Code]string{
		schemarpc.CodeParseError: "Parse error", schemarpc.CodeInvalidRequest: "Invalid Request",
		schemarpc.CodeMethodNotFound: "Method not found", schemarpc.CodeInvalidParams: "Invalid params",
		schemarpc.CodeInternalError: "Internal error", -1: "error -1",
	} {
		if got := c.String(); got != want {
			t.Errorf("%d: %q, want %q", c, got, want)
		}
		if e := c.Err(); e.Code != c || e.Message != want {
			t.Errorf("%d.Err() = %+v", c, e)
		}
	}
}

func TestResponse_errorEscapes(t *testing.T) {
	e := schemarpc.NewError(1, "a\"b\\c\n<tag>&\u2028\xff")
	out, _ := (&schemarpc.Response{Error: e}).AppendJSON(nil)
	if !json.Valid(out) {
		t.Fatalf("invalid JSON: %s", out)
	}
	var back struct{ Error struct{ Message string } }
	json.Unmarshal(out, &back)
	if back.Error.Message != "a\"b\\c\n<tag>&\u2028\ufffd" {
		t.Errorf("message came back as %q", back.Error.Message)
	}
	// Data that cannot be encoded is dropped, the response stays valid.
	out, _ = (&schemarpc.Response{Error: e.WithData(make(chan int))}).AppendJSON(nil)
	if !json.Valid(out) || strings.Contains(string(out), "data") {
		t.Errorf("unencodable data: %s", out)
	}
}
