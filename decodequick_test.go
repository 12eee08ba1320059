package schemarpc

import (
	"reflect"
	"strings"
	"testing"
)

// quickSeeds are payloads the one-pass decoder takes and payloads it must
// leave to the thorough one.
var quickSeeds = []string{
	`{"jsonrpc":"2.0","method":"echo","params":{"message":"hello","n":42},"id":1}`,
	` {"jsonrpc" : "2.0", "method":"a", "params":[1,{"b":[]}], "id":"x"} `,
	`{"jsonrpc":"2.0","method":"notify"}`,
	`{"jsonrpc":"2.0","id":3,"result":{"a":null}}`,
	`{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"m","data":[1]}}`,
	`[{"jsonrpc":"2.0","method":"a","id":1},{"jsonrpc":"2.0","method":"b","params":{}}]`,
	`[{"jsonrpc":"2.0","method":"a","id":1}, 1, {"jsonrpc":"2.0"}]`,
	`[]`,
	`{}`,
	`{"jsonrpc":"2.0","method":"a","id":1,"extra":true}`,
	`{"jsonrpc":"2.0","method":"a","method":"b","id":1}`,
	`{"jsonrpc":"2.0","\u006dethod":"a","id":1}`,
	`{"jsonrpc":"1.0","method":"a","id":1}`,
	`{"jsonrpc":"2.0","method":1,"id":1}`,
	`{"jsonrpc":"2.0","method":"a","params":"x","id":1}`,
	`{"jsonrpc":"2.0","method":"a","id":{}}`,
	`{"jsonrpc":"2.0","method":"a","id":1}x`,
	`{"jsonrpc":"2.0","method":"a","id":1,}`,
	`[{"jsonrpc":"2.0","method":"a","id":1},]`,
	`{"jsonrpc":"2.0","method":"a","params":[[[[[[1]]]]]],"id":1}`,
	"{\"jsonrpc\":\"2.0\",\"method\":\"\xff\",\"id\":1}",
	`"string"`,
	`[{"jsonrpc":"2.0","method":"a","id":1}] x`,
	`[{"jsonrpc":"2.0","method":"a","params":[[[1]]],"id":1}]`,
}

// FuzzDecodeQuick holds the one-pass decoder to the thorough one: whatever
// it accepts, the thorough decoder answers with the same messages.
func FuzzDecodeQuick(f *testing.F) {
	for _, s := range quickSeeds {
		f.Add(s)
	}
	decoders := []Decoder{{}, {MaxBatch: 2, MaxDepth: 5}, {MaxDepth: 1}, {MaxDepth: 2}}
	f.Fuzz(func(t *testing.T, s string) {
		data := []byte(s)
		for _, d := range decoders {
			msgs, batch, ok := d.decodeQuick(data)
			if !ok {
				continue
			}
			want, wantBatch, err := d.decodeThorough(data)
			if err != nil || batch != wantBatch || !reflect.DeepEqual(msgs, want) {
				t.Fatalf("%+v on %q: quick %+v (batch %v), thorough %+v (batch %v, %v)", d, s, msgs, batch, want, wantBatch, err)
			}
		}
	})
}

// The one-pass decoder takes the ordinary payloads: were it to give up on
// them, the fuzz target above would hold for a decoder that does nothing.
func TestDecodeQuick_takesOrdinaryPayloads(t *testing.T) {
	for _, s := range quickSeeds[:6] {
		if _, _, ok := (Decoder{}).decodeQuick([]byte(s)); !ok {
			t.Errorf("gave up on %s", s)
		}
	}
	batch := "[" + strings.Repeat(quickSeeds[0]+",", 99) + quickSeeds[0] + "]"
	if msgs, _, ok := (Decoder{MaxBatch: 100}).decodeQuick([]byte(batch)); !ok || len(msgs) != 100 {
		t.Errorf("gave up on a batch of 100 (%d messages)", len(msgs))
	}
	if _, _, ok := (Decoder{MaxBatch: 99}).decodeQuick([]byte(batch)); ok {
		t.Error("took a batch over the limit")
	}
	deep := `{"jsonrpc":"2.0","method":"a","params":[[1]],"id":1}`
	if _, _, ok := (Decoder{MaxDepth: 2}).decodeQuick([]byte(deep)); ok {
		t.Error("took params nested past the limit")
	}
	if _, _, ok := (Decoder{MaxDepth: 3}).decodeQuick([]byte(deep)); !ok {
		t.Error("gave up on params nested within the limit")
	}
	if _, _, ok := (Decoder{MaxDepth: 3}).decodeQuick([]byte("[" + deep + "]")); ok {
		t.Error("took a batch member's params nested past the limit")
	}
	if _, _, ok := (Decoder{MaxDepth: 4}).decodeQuick([]byte("[" + deep + "]")); !ok {
		t.Error("gave up on a batch member's params nested within the limit")
	}
	for _, d := range []Decoder{{MaxDepth: 1}, {MaxDepth: 2}} {
		// An object at depth 1 leaves no depth for structured params; a
		// batch member's object at depth 2 neither.
		msgs, _, ok := d.decodeQuick([]byte(deep))
		if d.MaxDepth == 1 && ok {
			t.Errorf("MaxDepth 1 took structured params: %+v", msgs)
		}
		if _, _, ok := d.decodeQuick([]byte("[" + deep + "]")); ok {
			t.Errorf("MaxDepth %d took a batch member with structured params", d.MaxDepth)
		}
	}
	if _, _, ok := (Decoder{}).decodeQuick([]byte("[" + deep + "] x")); ok {
		t.Error("took a batch followed by more than whitespace")
	}
}
