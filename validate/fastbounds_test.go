package validate

import "testing"

// The bounds that the schema package reflects for int, int64 and uint64
// have 19 or 20 digits; they must not keep a schema off the fast path, and
// the fast path must stay exact next to them: it never calls a value past
// a bound valid.
func TestFastIntegerBounds(t *testing.T) {
	for _, tc := range []struct {
		schema string
		fast   bool
		valid  []string // certainly valid
		other  []string // undecided (the full validator decides)
	}{
		{`{"type":"integer","minimum":-9223372036854775808,"maximum":9223372036854775807}`, true,
			[]string{"0", "-1", "999999999999999", "-99999999999999"}, []string{"9223372036854775808", "1.5", "1e3"}},
		{`{"type":"integer","minimum":0,"maximum":18446744073709551615}`, true,
			[]string{"0", "42"}, []string{"-1", "18446744073709551616"}},
		// Other large or fractional bounds stay on the fast path, which
		// decides only what it can decide exactly.
		{`{"type":"number","maximum":9223372036854775807}`, true,
			[]string{"0", "-3"}, []string{"9223372036854775808", "1e19"}},
		{`{"type":"integer","maximum":100000000000000.5}`, true,
			[]string{"100000000000000", "7"}, []string{"100000000000001", "1.5"}},
		{`{"type":"integer","maximum":100000000000000000000.0}`, true,
			[]string{"5"}, []string{"100000000000000000001"}},
	} {
		doc, err := decode([]byte(tc.schema))
		if err != nil {
			t.Fatal(err)
		}
		n := buildFast(doc, true)
		if (n != nil) != tc.fast {
			t.Errorf("%s: fast node built = %v, want %v", tc.schema, n != nil, tc.fast)
			continue
		}
		for _, v := range tc.valid {
			if !n.valid([]byte(v)) {
				t.Errorf("%s: %s not certainly valid", tc.schema, v)
			}
		}
		for _, v := range tc.other {
			if n.valid([]byte(v)) {
				t.Errorf("%s: %s certainly valid", tc.schema, v)
			}
		}
	}
}
