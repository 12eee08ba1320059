package schemarpc_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc"
)

// BenchmarkDecode measures the strict decoder on one request and on a
// batch of 100.
func BenchmarkDecode(b *testing.B) {
	one := `{"jsonrpc":"2.0","method":"echo","params":{"message":"hello","n":42},"id":1}`
	for name, payload := range map[string]string{
		"single":   one,
		"batch100": "[" + strings.TrimSuffix(strings.Repeat(one+",", 100), ",") + "]",
	} {
		b.Run(name, func(b *testing.B) {
			data := []byte(payload)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := schemarpc.Decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkResponseAppend measures encoding one response into a reused
// buffer, the way the server writes answers.
func BenchmarkResponseAppend(b *testing.B) {
	resp := &schemarpc.Response{ID: schemarpc.Int64ID(1), Result: json.RawMessage(`{"message":"hello","n":42}`)}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if buf, err = resp.AppendJSON(buf[:0]); err != nil {
			b.Fatal(err)
		}
	}
}
