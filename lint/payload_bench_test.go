package lint_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/lint"
)

// traffic returns about size bytes of JSON Lines requests for the methods
// of the document kind ("demo": the demo service's openrpc.json; "shop":
// testdata/shop.openrpc.json, nested params), one in fifty invalid.
func traffic(size int, kind string) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for id := 1; b.Len() < size; id++ {
		bad := r.IntN(50) == 0
		if kind == "shop" {
			shopRequest(&b, r, id, bad)
		} else {
			demoRequest(&b, r, id, bad)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func word(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + r.IntN(26))
	}
	return string(b)
}

func uuid(r *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", r.Uint32(), r.IntN(1<<16), r.IntN(1<<12), r.IntN(1<<12), r.Uint64()&(1<<48-1))
}

func demoRequest(w *bytes.Buffer, r *rand.Rand, id int, bad bool) {
	switch r.IntN(6) {
	case 0:
		u := word(r, 3+r.IntN(20))
		if bad {
			u = "Bad User"
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"create_user","params":{"username":%q,"email":"%s@%s.example.com"}}`, id, u, word(r, 8), word(r, 6))
	case 1:
		if bad {
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"subtract","params":[%d,"x"]}`, id, r.IntN(1000))
			return
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"subtract","params":{"minuend":%d.5,"subtrahend":%d}}`, id, r.IntN(1000), r.IntN(1000))
	case 2:
		var nums []string
		for range 3 + r.IntN(20) {
			nums = append(nums, fmt.Sprint(r.IntN(100000)))
		}
		if bad {
			nums = append(nums, `"seven"`)
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":"req-%d","method":"sum","params":[%s]}`, id, strings.Join(nums, ","))
	case 3:
		n := r.IntN(100)
		if bad {
			n = 500
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"countdown","params":{"n":%d}}`, id, n)
	case 4:
		u := uuid(r)
		if bad {
			u = "not-a-uuid"
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"get_user_by_uuid","params":[%q]}`, id, u)
	default:
		if bad {
			w.WriteString(`{"jsonrpc":"2.0","method":"notify_helo","params":[1]}`)
			return
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","method":"notify_hello","params":[%d]}`, r.IntN(1000))
	}
}

func shopRequest(w *bytes.Buffer, r *rand.Rand, id int, bad bool) {
	switch r.IntN(4) {
	case 0, 1:
		var items []string
		for i := range 1 + r.IntN(8) {
			sku := fmt.Sprintf("%s-%04d", strings.ToUpper(word(r, 3)), r.IntN(10000))
			if bad && i == 0 {
				sku = "abc"
			}
			items = append(items, fmt.Sprintf(`{"sku":%q,"qty":%d,"price":%d.%02d}`, sku, 1+r.IntN(9), r.IntN(500), r.IntN(100)))
		}
		note := "null"
		if r.IntN(3) == 0 {
			note = fmt.Sprintf("%q", "leave at the door "+word(r, 10))
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"create_order","params":{"order":{"customer":{"id":%d,"name":"%s %s","email":"%s@%s.example.org"},"shipping":{"street":"%d %s street","city":%q,"postcode":"%05d","country":"DE"},"items":[%s],"tags":{"channel":"web","campaign":%q},"status":"new","note":%s}}}`,
			id, 1+r.IntN(1e6), word(r, 6), word(r, 8), word(r, 7), word(r, 5), 1+r.IntN(200), word(r, 9), word(r, 7), r.IntN(99999), strings.Join(items, ","), word(r, 6), note)
	case 2:
		u := uuid(r)
		if bad {
			u = "x"
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"get_order","params":[%q]}`, id, u)
	default:
		if bad {
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"cancel_order","params":{"reason":%q}}`, id, word(r, 20))
			return
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"cancel_order","params":{"id":%q,"reason":%q}}`, id, uuid(r), word(r, 20))
	}
}

// BenchmarkPayloadCheck measures the throughput of PayloadChecker.Check
// (MB/s) on JSON Lines traffic, using every processor as the CLI does,
// next to json.Valid on each line of the same input (one goroutine), the
// floor of any check that parses the input.
func BenchmarkPayloadCheck(b *testing.B) {
	for _, tc := range []struct{ kind, doc string }{
		{"demo", "../openrpc.json"},
		{"shop", "testdata/shop.openrpc.json"},
	} {
		b.Run(tc.kind, func(b *testing.B) {
			doc, fs, err := lint.CheckFile(context.Background(), tc.doc)
			if err != nil || len(fs) != 0 {
				b.Fatal(err, fs)
			}
			in := traffic(8<<20, tc.kind)
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			findings := 0
			for b.Loop() {
				findings = 0
				err := doc.Payloads().Check(context.Background(), bytes.NewReader(in), "traffic.jsonl", func(lint.Finding) { findings++ })
				if err != nil {
					b.Fatal(err)
				}
			}
			if findings == 0 {
				b.Fatal("no findings: the invalid requests went unnoticed")
			}
		})
	}
	b.Run("json.Valid", func(b *testing.B) {
		in := traffic(8<<20, "demo")
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			for line := range bytes.Lines(in) {
				if !json.Valid(line) {
					b.Fatal("invalid line")
				}
			}
		}
	})
}
