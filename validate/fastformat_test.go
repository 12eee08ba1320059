package validate

import (
	"encoding/json"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// generalAccepts reports whether the general validator accepts s under
// the schema {"type":"string", keyword: value}.
func generalChecker(t testing.TB, keyword, value string) func(string) bool {
	t.Helper()
	schema, _ := json.Marshal(map[string]any{"type": "string", keyword: value})
	v, err := Compile(schema)
	if err != nil {
		t.Fatal(err)
	}
	return func(s string) bool { return v.Validate(s) == nil }
}

// mutations returns s and strings near it: one character replaced,
// removed or inserted, from an alphabet of characters formats care about.
func mutations(r *rand.Rand, s string, n int) []string {
	const alphabet = "09afAFZz:-.@T+/ %#[]\"~_?éx\\"
	out := []string{s}
	for range n {
		b := []byte(s)
		for range 1 + r.IntN(2) {
			i := 0
			if len(b) > 0 {
				i = r.IntN(len(b) + 1)
			}
			c := alphabet[r.IntN(len(alphabet))]
			switch {
			case r.IntN(3) == 0 && i < len(b):
				b = append(b[:i], b[i+1:]...)
			case r.IntN(2) == 0 && i < len(b):
				b[i] = c
			default:
				b = append(b[:i], append([]byte{c}, b[i:]...)...)
			}
		}
		out = append(out, string(b))
	}
	return out
}

// TestFastFormats holds each fast format checker to the general
// validator's checker of the same name: on the sample forms and thousands
// of strings near them, fast true implies general true. Where the fast
// checker decides a form exactly (strictForm), general true implies fast
// true as well.
func TestFastFormats(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for name, fast := range fastFormats {
		check := formatCheck(name) // the checker compiled schemas use
		if check == nil {
			t.Errorf("%s: the general validator does not assert it", name)
			continue
		}
		general := func(s string) bool { return check(s) }
		samples := append(append([]string{}, formatPool[name]...), strictFormats[name]...)
		var accepted, missed int
		for _, sample := range samples {
			for _, s := range mutations(r, sample, 400) {
				f, g := fast(s), general(s)
				if f && !g {
					t.Errorf("%s: fast accepts %q, the general validator does not", name, s)
				}
				if g {
					accepted++
					if !f {
						missed++
						if strictForm(name, s) {
							t.Errorf("%s: fast rejects %q, a strict form the general validator accepts", name, s)
						}
					}
				}
			}
		}
		t.Logf("%-14s general accepts %5d, fast defers %4d of them", name, accepted, missed)
	}
}

// strictForms are the forms the fast checkers decide exactly. Outside
// them the general validator accepts some odd strings (a sign before a
// number, a label starting with a hyphen, depending on its version) that
// the fast checkers leave to it.
var strictForms = map[string]*regexp.Regexp{
	"date":      regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`),
	"time":      regexp.MustCompile(`^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$`),
	"date-time": regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$`),
	"ipv4":      regexp.MustCompile(`^(0|[1-9]\d{0,2})(\.(0|[1-9]\d{0,2})){3}$`),
	"hostname":  regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`),
	"email": regexp.MustCompile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@" +
		`[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`),
	"uuid":         regexp.MustCompile(`.`),
	"json-pointer": regexp.MustCompile(`.`),
}

// strictForm reports whether s is in the form the fast checker of format
// decides exactly; false means the fast checker may defer a valid s.
// ipv6, uri and uri-reference are only checked one way.
func strictForm(format, s string) bool {
	re := strictForms[format]
	return re != nil && (re.MatchString(s) || (s == "" && format == "json-pointer"))
}

// TestFastEmail_equivalent spells out the email check's equivalence with
// the general validator on the addresses people use.
func TestFastEmail_equivalent(t *testing.T) {
	general := generalChecker(t, "format", "email")
	for _, s := range []string{
		"ada@example.com", "a.b+c@x-y.org", "o'brien@example.ie", "x@localhost", "1@2.3", "a!#$%&'*+/=?^_`{|}~-@x.org",
		"a..b@x.org", ".a@x.org", "a.@x.org", "a@x..org", "a@-x.org", "a@x-.org", "a b@x.org", "a@", "@", "", "a",
		"a@b@x.org", strings.Repeat("a", 64) + "@x.org", strings.Repeat("a", 65) + "@x.org",
		"a@" + strings.Repeat("b", 63) + ".org", "a@" + strings.Repeat("b", 64) + ".org",
		"a@" + strings.Repeat("b.", 125) + "org", "a@x_y.org", "a(b)@x.org", "a,b@x.org", "<a@x.org>",
	} {
		f, g := isFastEmail(s), general(s)
		if f != g {
			t.Errorf("%q: fast %v, general %v", s, f, g)
		}
	}
}

// TestFastPatterns holds the translated patterns to the general
// validator's pattern keyword, on each pool pattern's samples and strings
// near them.
func TestFastPatterns(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, p := range patternPool {
		fp := compilePattern(p.expr)
		if fp == nil {
			t.Errorf("%s: does not compile", p.expr)
			continue
		}
		general := generalChecker(t, "pattern", p.expr)
		for _, sample := range p.samples {
			for _, s := range mutations(r, sample, 200) {
				if fp.match(s) && !general(s) {
					t.Errorf("%s: fast matches %q, the general validator does not", p.expr, s)
				}
				if isASCII(s) && !strings.ContainsAny(s, "\x0b") && general(s) && !fp.match(s) {
					t.Errorf("%s: fast does not match the ASCII string %q", p.expr, s)
				}
			}
		}
	}
	for _, expr := range []string{`(?=a)`, `(a)\1`, `a{`, `[]`, `[^]`, `é`, `\p{L}`, `(?<n>a)`, `\cA`, `[\d-z]`, `a**`, `\u0041`} {
		if translatePattern(expr) != nil {
			t.Errorf("%s: translated, but it is outside the subset", expr)
		}
	}
}

// TestBitNFA compares the bit-parallel automaton and its DFA with Go's
// regexp on the same translated patterns.
func TestBitNFA(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	n := 0
	for _, p := range patternPool {
		fp := translatePattern(p.expr)
		if fp == nil || fp.nfa == nil {
			continue
		}
		n++
		for _, sample := range p.samples {
			for _, s := range mutations(r, sample, 300) {
				want := fp.re.MatchString(s)
				if fp.needBMP && !isASCII(s) {
					continue // only used on ASCII strings
				}
				if got := fp.nfa.match(s); got != want {
					t.Errorf("%s on %q: automaton %v, regexp %v", p.expr, s, got, want)
				}
				if fp.dfa != nil && fp.dfa.match(s) != want {
					t.Errorf("%s on %q: DFA %v, regexp %v", p.expr, s, !want, want)
				}
			}
		}
	}
	if n < len(patternPool)/2 {
		t.Errorf("only %d patterns got an automaton", n)
	}
}

// BenchmarkFastPattern compares the DFA with Go's regexp on the same
// translated pattern.
func BenchmarkFastPattern(b *testing.B) {
	p := translatePattern(`^[A-Z]{3}-[0-9]{4}$`)
	for _, c := range []struct {
		name  string
		match func(string) bool
	}{{"dfa", p.dfa.match}, {"nfa", p.nfa.match}, {"regexp", p.re.MatchString}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if !c.match("ABC-0001") {
					b.Fatal("no match")
				}
			}
		})
	}
}

// BenchmarkFastEmail compares the fast email check with the general
// validator's schema {"type":"string","format":"email"}.
func BenchmarkFastEmail(b *testing.B) {
	general := generalChecker(b, "format", "email")
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			isFastEmail("ada@example.com")
		}
	})
	b.Run("general", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			general("ada@example.com")
		}
	})
}
