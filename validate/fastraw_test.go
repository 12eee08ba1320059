package validate

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestFastPath_rawPattern holds the one-pass string check (the pattern's
// DFA run while the string is scanned) to the general validator: raw
// strings, escaped ones and ones beyond ASCII, with length bounds.
func TestFastPath_rawPattern(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 13))
	decided := 0
	for _, p := range patternPool {
		schema, _ := json.Marshal(map[string]any{"type": "string", "pattern": p.expr, "minLength": 2, "maxLength": 6})
		v, err := Compile(schema)
		if err != nil {
			t.Fatal(err)
		}
		if v.fast == nil {
			t.Fatalf("%s: no fast path", schema)
		}
		for _, sample := range p.samples {
			for _, s := range mutations(r, sample, 200) {
				enc, _ := json.Marshal(s)
				forms := [][]byte{enc}
				if !strings.ContainsAny(s, "\"\\\x00\x01\x1f\n\t") {
					forms = append(forms, []byte(`"`+s+`"`))
				}
				for _, raw := range forms {
					fast := v.fast.valid(raw)
					general := v.validateDecoded(raw, false) == nil
					if fast && !general {
						t.Errorf("%s: fast accepts %s, the general validator does not", schema, raw)
					}
					if fast {
						decided++
					}
				}
			}
		}
	}
	if decided < 1000 {
		t.Errorf("the fast path accepted only %d strings", decided)
	}
}
