package jsonscan_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

var validSeeds = []string{
	`{}`, `[]`, `""`, `0`, `-0`, `1.5e-3`, `true`, `false`, `null`, ` {"a" : [1, {"b":null}], "c":"\u00e9\n"} `,
	`{"jsonrpc":"2.0","method":"subtract","params":[42,23],"id":1}`, `[1,2,3]`, `"é"`, `"\ud83d\ude00"`,
	`{"a":{}}`, `[[[]]]`, `12345678901234567890`, `"a\/b"`,
}

var invalidSeeds = []string{
	``, ` `, `{`, `}`, `[`, `]`, `[1,]`, `{"a":1,}`, `{"a"}`, `{"a":}`, `{a:1}`, `[1 2]`, `01`, `1.`, `.5`, `-`, `1e`,
	`+1`, `tru`, `nul`, `"abc`, `"\x"`, `"\u12"`, "\"\x01\"", `{"a":1}}`, `[1]]`, `1 2`, `[}`, `{]`, `{"a":1 "b":2}`,
	"\"\xff\"", "\"\xc3\"", `NaN`, `Infinity`, `{"a":[1,{"b":2]}}`, `{,}`, `[,1]`,
}

func TestCheck_seeds(t *testing.T) {
	for _, s := range validSeeds {
		if err := jsonscan.Check([]byte(s), 0); err != nil {
			t.Errorf("Check(%q) = %v, want nil", s, err)
		}
	}
	for _, s := range invalidSeeds {
		if err := jsonscan.Check([]byte(s), 0); err == nil {
			t.Errorf("Check(%q) = nil, want an error", s)
		}
	}
	if err := jsonscan.Check([]byte("\"\xff\""), 0); !errors.Is(err, jsonscan.ErrUTF8) {
		t.Errorf("invalid UTF-8: %v", err)
	}
}

func TestCheck_depth(t *testing.T) {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	if err := jsonscan.Check([]byte(deep), 0); !errors.Is(err, jsonscan.ErrDepth) {
		t.Fatalf("100000 levels: %v, want ErrDepth", err)
	}
	ok := strings.Repeat(`{"a":[`, 600) + strings.Repeat("]}", 600)
	if err := jsonscan.Check([]byte(ok), 0); err != nil {
		t.Fatalf("1200 levels: %v", err)
	}
	if err := jsonscan.Check([]byte(`[[[1]]]`), 2); !errors.Is(err, jsonscan.ErrDepth) {
		t.Fatalf("limit 2: %v", err)
	}
	if err := jsonscan.Check([]byte(`[[1]]`), 2); err != nil {
		t.Fatalf("limit 2 at depth 2: %v", err)
	}
}

// FuzzCheck holds Check to encoding/json: the same verdict as json.Valid
// plus UTF-8 validity, within encoding/json's depth limit.
func FuzzCheck(f *testing.F) {
	for _, s := range append(validSeeds, invalidSeeds...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := []byte(s)
		want := json.Valid(b) && utf8.Valid(b)
		err := jsonscan.Check(b, 0)
		if (err == nil) != want {
			t.Fatalf("Check(%q) = %v, json.Valid && utf8.Valid = %v", s, err, want)
		}
		// CheckValue ends where the value ends: what follows it is the
		// caller's, and a value followed by one more byte checks the same.
		start := len(b) - len(bytes.TrimLeft(b, " \t\r\n"))
		end, verr := jsonscan.CheckValue(b, start, 0)
		if err == nil && (verr != nil || len(bytes.TrimSpace(b[end:])) != 0 || !json.Valid(b[start:end])) {
			t.Fatalf("CheckValue(%q) = %d, %v", s, end, verr)
		}
		if verr == nil {
			more := append(b[start:end:end], '@')
			if e2, err2 := jsonscan.CheckValue(more, 0, 0); err2 != nil || e2 != end-start {
				t.Fatalf("CheckValue(%q) = %d, %v; want %d", more, e2, err2, end-start)
			}
		}
	})
}

func TestCheckValue_endsAtTheValue(t *testing.T) {
	for _, c := range []struct {
		in   string
		end  int
		fail bool
	}{
		{`{"a":[1,2]} , x`, 11, false},
		{`"s"x`, 3, false},
		{`12,`, 2, false},
		{`true]`, 4, false},
		{`[1,]`, 3, true},
		{`{"a" 1}`, 5, true},
	} {
		end, err := jsonscan.CheckValue([]byte(c.in), 0, 0)
		if (err != nil) != c.fail || (!c.fail && end != c.end) {
			t.Errorf("CheckValue(%q) = %d, %v", c.in, end, err)
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	data := []byte(`{"jsonrpc":"2.0","method":"echo","params":{"message":"hello","n":42},"id":1}`)
	b.Run("jsonscan", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if jsonscan.Check(data, 0) != nil {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if !json.Valid(data) {
				b.Fatal("invalid")
			}
		}
	})
}
