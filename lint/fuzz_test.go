package lint_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/lint"
)

// FuzzPayloads runs the payload checker of `schemarpc validate` on fuzzed
// input. It must not panic or fail to read, every finding must name the
// input and a keyword, and a stream of the same values checked twice must
// give the same findings (the checker keeps no state that changes its
// verdict on a value, other than matching responses to requests by id).
func FuzzPayloads(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"subtract","params":[1,"x"]}`,
		`{"jsonrpc":"2.0","id":2,"method":"subtract","params":{"minuend":1,"subtrahend":2,"extra":3}}`,
		`{"jsonrpc":"2.0","id":3,"method":"sum","params":[1,2,"3"]}` + "\n" + `{"jsonrpc":"2.0","id":3,"result":"x"}`,
		`{"jsonrpc":"2.0","id":4,"method":"find","params":["x"]}`,
		`{"jsonrpc":"2.0","id":1,"error":{"code":7,"message":"seven"}}`,
		"[\n {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"},\n 5, []\n]\n",
		`{"jsonrpc":"2.0","id":7,"method":"subtract","params":[1,`,
		"{\"jsonrpc\":\"2.0\",\"id\":\"\xff\",\"method\":\"find\",\"params\":{\"q\":\"\\ud800\"}}",
		`{"a":1}{"b":2} [3] "x" 4 null`,
		`[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`,
		"}\n]\n\"\\",
	} {
		f.Add([]byte(s))
	}
	doc, fs, _ := lint.Check(context.Background(), []byte(subtractDoc), lint.Options{Name: "doc.json"})
	if len(fs) != 0 {
		f.Fatal(findingsText(fs))
	}
	run := func(t *testing.T, in []byte) ([]lint.Finding, int) {
		pc := doc.Payloads()
		pc.MaxValueSize = 4 << 10
		var got []lint.Finding
		if err := pc.Check(context.Background(), bytes.NewReader(in), "in", func(f lint.Finding) { got = append(got, f) }); err != nil {
			t.Fatalf("Check: %v", err)
		}
		return got, pc.Messages()
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, n := run(t, in)
		for _, fd := range got {
			if fd.File != "in" || fd.Keyword == "" || fd.Message == "" {
				t.Fatalf("malformed finding %+v", fd)
			}
			if !strings.HasPrefix(fd.String(), "in") {
				t.Fatalf("finding %q does not name the input", fd.String())
			}
		}
		again, m := run(t, in)
		if findingsText(again) != findingsText(got) || m != n {
			t.Fatalf("second run differs:\n%s\n---\n%s", findingsText(got), findingsText(again))
		}
	})
}
