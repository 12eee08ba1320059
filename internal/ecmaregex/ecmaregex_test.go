package ecmaregex

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The expected answers are those of ECMA-262 (new RegExp(pattern, "u") in a
// conforming engine, search semantics).
var matchTests = []struct {
	pattern string
	input   string
	want    bool
}{
	// Plain regular patterns.
	{`^[0-9a-zA-Z._-]+$`, "SKU-12.b_3", true},
	{`^[0-9a-zA-Z._-]+$`, "SKU 12", false},
	{`abc`, "xxabcxx", true},  // unanchored search
	{`^abc$`, "abc\n", false}, // $ is the end of input, not before a final newline
	{`^abc$`, "abc", true},
	{`a{2,3}`, "aa", true},
	{`^a{2,3}$`, "aaaa", false},
	{`a{`, "a{", true}, // Annex B: a lone brace is a literal
	{`^}]$`, "}]", true},
	{`x{1001}`, strings.Repeat("x", 1001), true}, // above RE2's repeat limit
	{`^(?:ab)+?$`, "abab", true},
	{`^(?<year>\d{4})-(\d{2})$`, "2024-05", true},
	{`^a|b$`, "xb", true},
	{`[]`, "a", false},    // the empty class matches nothing
	{`^[^]$`, "\n", true}, // its negation matches everything

	// \d and \w are ASCII only.
	{`^\d+$`, "0123456789", true},
	{`^\d$`, "٣", false}, // ARABIC-INDIC DIGIT THREE
	{`^\w+$`, "abc_XYZ_09", true},
	{`^\w$`, "é", false},
	{`^\W$`, "é", true},
	{`\bfoo\b`, "a foo.", true},
	{`\bfoo\b`, "afoo", false},

	// \s is WhiteSpace and LineTerminator, Unicode included.
	{`^\s$`, "\u00a0", true},
	{`^\s$`, "\u2003", true}, // EM SPACE
	{`^\s$`, "\u3000", true},
	{`^\s$`, "\ufeff", true},
	{`^\s$`, "\u2028", true},
	{`^\s$`, "\v", true},
	{`^\s$`, "\u200b", false}, // ZERO WIDTH SPACE is not white space
	{`^\S$`, "\u00a0", false},
	{`^[\s]$`, "\u2003", true},
	{`^[^\s]$`, "\u2003", false},
	{`^[\S]$`, "x", true},

	// . matches anything but a line terminator, one code point at a time.
	{`^.$`, "\n", false},
	{`^.$`, "\r", false},
	{`^.$`, "\u2028", false},
	{`^.$`, "\u2029", false},
	{`^.$`, "\u0085", true},
	{`^.$`, "😀", true},
	{`^.+$`, "a\nb", false},

	// Unicode properties and escapes.
	{`^\p{L}+$`, "école", true},
	{`^\p{Letter}+$`, "Ωμέγα", true},
	{`^\p{L}$`, "1", false},
	{`^\P{L}$`, "1", true},
	{`^\p{Lu}$`, "É", true},
	{`^\p{Script=Greek}+$`, "αβγ", true},
	{`^\p{sc=Greek}$`, "a", false},
	{`^\p{gc=Nd}$`, "٣", true},
	{`^\p{White_Space}$`, "\u2003", true},
	{`^[\p{L}\d]+$`, "a1é2", true},
	{`^\u00e9$`, "é", true},
	{`^\u{1F600}$`, "😀", true},
	{`^\uD83D\uDE00$`, "😀", true}, // a surrogate pair is one code point
	{`^[😀]$`, "😀", true},
	{`^\x41\cJ$`, "A\n", true},
	{`^\0$`, "\x00", true},
	{`^\-\/\.\"$`, `-/."`, true},
	{`^[\w-.]+$`, "a-b.c", true}, // Annex B: - after a class escape is a literal
	{`^[\b]$`, "\b", true},

	// Constructs that need the backtracking engine.
	{`^(?=.*\d)(?=.*[a-z]).{8,}$`, "passw0rdx", true},
	{`^(?=.*\d)(?=.*[a-z]).{8,}$`, "password", false},
	{`^(?!foo)\w+$`, "foobar", false},
	{`^(?!foo)\w+$`, "barfoo", true},
	{`(?<=\$)\d+`, "cost $42", true},
	{`(?<!\$)\b\d+`, "$42", false},
	{`^(a+)-\1$`, "aa-aa", true},
	{`^(a+)-\1$`, "aa-a", false},
	{`^(?<w>\w)\k<w>$`, "xx", true},
	{`^\k<w>(?<w>x)$`, "x", true}, // a reference before its group matches empty
	{`^(?=.$)\s$`, "\u3000", true},
	{`^(?=.)[^]$`, "\u2028", false},
}

func TestMatch(t *testing.T) {
	for _, tt := range matchTests {
		re, err := Compile(tt.pattern)
		if err != nil {
			t.Errorf("Compile(%q): %v", tt.pattern, err)
			continue
		}
		if got := re.MatchString(tt.input); got != tt.want {
			t.Errorf("%q.MatchString(%q) = %v, want %v (backtracks %v)", tt.pattern, tt.input, got, tt.want, re.Backtracks())
		}
		if got := re.Match([]byte(tt.input)); got != tt.want {
			t.Errorf("%q.Match(%q) = %v, want %v", tt.pattern, tt.input, got, tt.want)
		}
		if re.String() != tt.pattern {
			t.Errorf("String() = %q, want %q", re.String(), tt.pattern)
		}
	}
}

// TestBothEngines runs every regular pattern through both rewrites, so the
// RE2 rewrite and the regexp2 rewrite are checked against each other and
// against ECMA-262.
func TestBothEngines(t *testing.T) {
	for _, tt := range matchTests {
		tr, err := translate(tt.pattern)
		if err != nil || tr.backtrack {
			continue
		}
		re, err := compileBacktracking(tt.pattern, tr.bt)
		if err != nil {
			t.Errorf("regexp2 rewrite of %q (%s): %v", tt.pattern, tr.bt, err)
			continue
		}
		if got := re.MatchString(tt.input); got != tt.want {
			t.Errorf("regexp2: %q.MatchString(%q) = %v, want %v", tt.pattern, tt.input, got, tt.want)
		}
	}
}

func TestEngineChoice(t *testing.T) {
	for pattern, backtracks := range map[string]bool{
		`^[0-9a-zA-Z._-]+$`: false,
		`^\s*\p{L}.+$`:      false,
		`^(?:a|b){3,5}$`:    false,
		`^(?=a)`:            true,
		`(?<!a)b`:           true,
		`(a)\1`:             true,
		`a{2000}`:           true,
		`^[a-z]{1,1000}$`:   false,
	} {
		re, err := Compile(pattern)
		if err != nil {
			t.Fatalf("Compile(%q): %v", pattern, err)
		}
		if re.Backtracks() != backtracks {
			t.Errorf("Compile(%q).Backtracks() = %v, want %v", pattern, re.Backtracks(), backtracks)
		}
	}
}

func TestInvalid(t *testing.T) {
	for _, pattern := range []string{
		`^[0-9a-zA-Z._-/]+$`, // range out of order: _ (0x5F) - / (0x2F)
		`[z-a]`,
		`(`,
		`)`,
		`(?:a`,
		`[a`,
		`*a`,
		`a**`,
		`a{2,1}`,
		`^*`,
		`(?=a)*`,
		`\`,
		`\a`, // not an ECMA-262 escape (a bell in PCRE)
		`\z`,
		`\A`,
		`\1`, // no group 1
		`\k<x>`,
		`(?<x>a)(?<x>b)`,
		`(?P<x>a)`,
		`(?i)a`,
		`\p{Nope}`,
		`\p{scx=Greek}`,
		`\pL`,
		`\x4`,
		`\u12`,
		`\u{110000}`,
		`\cé`,
		`\01`,
		`[\1]`,
		strings.Repeat("(", maxNesting+1) + strings.Repeat(")", maxNesting+1),
	} {
		re, err := Compile(pattern)
		if err == nil {
			t.Errorf("Compile(%q) = %v, want an error", pattern, re)
			continue
		}
		if !strings.Contains(err.Error(), strconv.Quote(pattern)) {
			t.Errorf("Compile(%q) error %q does not quote the pattern", pattern, err)
		}
	}
}

func TestTimeout(t *testing.T) {
	// Catastrophic backtracking: a backreference forces regexp2, and
	// (a+)+ on a long non-matching input takes exponential time.
	re, err := Compile(`^(a+)+(b)\2$`)
	if err != nil {
		t.Fatal(err)
	}
	if !re.Backtracks() {
		t.Fatal("the pattern should run on the backtracking engine")
	}
	start := time.Now()
	ok, err := re.Search(strings.Repeat("a", 64) + "c")
	if elapsed := time.Since(start); elapsed > 10*MatchTimeout {
		t.Errorf("match took %v, want about %v", elapsed, MatchTimeout)
	}
	if ok || !errors.Is(err, ErrTimeout) {
		t.Errorf("Search = %v, %v; want false, ErrTimeout", ok, err)
	}
	if re.MatchString(strings.Repeat("a", 64) + "c") {
		t.Error("MatchString after a timeout = true, want false")
	}
}

func FuzzCompile(f *testing.F) {
	for _, tt := range matchTests {
		f.Add(tt.pattern, tt.input)
	}
	f.Add(`^[0-9a-zA-Z._-/]+$`, "a")
	f.Fuzz(func(t *testing.T, pattern, input string) {
		re, err := Compile(pattern)
		if err != nil {
			return
		}
		tr, err := translate(pattern)
		if err != nil {
			t.Fatalf("translate failed after Compile succeeded: %v", err)
		}
		if len(input) > 64 {
			input = input[:64]
		}
		got, err := re.Search(input)
		if err != nil || tr.backtrack {
			return
		}
		// A regular pattern must mean the same in both rewrites.
		bt, err := compileBacktracking(pattern, tr.bt)
		if err != nil {
			t.Fatalf("regexp2 rejects the rewrite %q of %q: %v", tr.bt, pattern, err)
		}
		if want, err := bt.Search(input); err == nil && got != want {
			t.Fatalf("%q on %q: RE2 says %v, regexp2 says %v (re2 %q, bt %q)", pattern, input, got, want, tr.re2, tr.bt)
		}
	})
}

var benchInputs = []string{"SKU-000123.blue_XL", "not a sku!", strings.Repeat("A", 40)}

func BenchmarkSKU(b *testing.B) {
	const pattern = `^[A-Z]{3}-[0-9]{6}(\.[a-z]+)?(_[A-Z]{1,3})?$`
	tr, err := translate(pattern)
	if err != nil {
		b.Fatal(err)
	}
	re2, err := Compile(pattern)
	if err != nil || re2.Backtracks() {
		b.Fatal(err, re2.Backtracks())
	}
	bt, err := compileBacktracking(pattern, tr.bt)
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		re   *Regexp
	}{{"RE2", re2}, {"regexp2", bt}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for _, s := range benchInputs {
					c.re.MatchString(s)
				}
			}
		})
	}
}
