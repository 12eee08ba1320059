// Package ecmaregex compiles the ECMA-262 regular expressions of JSON Schema
// (the pattern and patternProperties keywords) into Go matchers.
//
// # Dialect
//
// The pattern is parsed as ECMA-262 with the u (Unicode) flag, the reading
// the JSON Schema test suite expects: \p{…} is a Unicode property, \u{…} a
// code point, and . or a class matches whole code points. Where the u flag
// would reject a construct that the Annex B (web compatibility) grammar
// accepts and the two cannot disagree on its meaning, the construct is
// accepted: a lone {, } or ], an escaped ASCII punctuation character (\-,
// \", \ ) and a class escape used as a range end ([\w-.] is \w, - and .).
// Escapes that mean something else in Go or PCRE but nothing in ECMA-262
// (\a, \e, \z, \A, \Z, \h, …) are errors. There are no flags: matching is
// case-sensitive, ^ and $ anchor the whole input, and matching is an
// unanchored search, as in JSON Schema.
//
// # Two engines
//
// Every pattern is parsed here and rewritten for the engine that runs it, so
// both engines see only constructs whose meaning is spelt out explicitly:
// each character class (including ., \d, \w, \s, \p{…} and their negations)
// becomes an explicit list of code point ranges built from the ECMA-262
// definitions and Go's unicode tables; literals are quoted; named groups
// become plain groups.
//
// A pattern runs on Go's RE2 engine (package regexp, linear time) unless it
// uses a construct that is not regular: a lookahead or lookbehind, a
// backreference (\1, \k<name>), or a counted repetition above RE2's limit
// of 1000. After the rewrite, the remaining constructs (literals, explicit
// classes, ^, $, \b, \B, groups, alternation, greedy and lazy quantifiers)
// have the same meaning in both engines, and for a regular expression
// whether some match exists does not depend on how an engine searches, so
// RE2 answers exactly as ECMA-262 would. The others run on
// github.com/dlclark/regexp2 in ECMAScript mode, a backtracking engine,
// bounded by [MatchTimeout].
//
// # Timeouts
//
// Backtracking can take time exponential in the input's length (ReDoS), and
// request data reaches these patterns on a server. A regexp2 match that runs
// longer than [MatchTimeout] stops; [Regexp.Search] reports [ErrTimeout] and
// [Regexp.MatchString] reports no match, so a validator rejects the value
// rather than spend more time on it.
package ecmaregex

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/dlclark/regexp2"
)

// MatchTimeout bounds one match of a pattern that needs the backtracking
// engine. The engine checks its clock every 100 ms, so a match may run up
// to about MatchTimeout+100ms before it stops.
const MatchTimeout = 100 * time.Millisecond

// ErrTimeout is returned by [Regexp.Search] when a backtracking match ran
// longer than [MatchTimeout].
var ErrTimeout = errors.New("ecmaregex: match timed out")

// A SyntaxError is an invalid pattern.
type SyntaxError struct {
	Pattern string // the pattern as given
	Reason  string // what is wrong and where, such as "at offset 3: missing ]"
}

// Error returns "invalid regular expression PATTERN: REASON", the pattern
// quoted.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid regular expression %q: %s", e.Pattern, e.Reason)
}

// Regexp is a compiled ECMA-262 regular expression. It is safe for
// concurrent use.
type Regexp struct {
	expr string
	re2  *regexp.Regexp  // set when the pattern is regular
	bt   *regexp2.Regexp // set otherwise
}

// Compile parses an ECMA-262 regular expression. An invalid pattern is an
// error that quotes it; Compile never panics.
func Compile(expr string) (*Regexp, error) {
	t, err := translate(expr)
	if err != nil {
		return nil, &SyntaxError{Pattern: expr, Reason: err.Error()}
	}
	if !t.backtrack {
		if re, err := regexp.Compile(t.re2); err == nil {
			return &Regexp{expr: expr, re2: re}, nil
		}
		// RE2 refuses some valid patterns for their size (nested counted
		// repetitions); the backtracking engine takes them.
	}
	return compileBacktracking(expr, t.bt)
}

// compileBacktracking compiles the regexp2 rewrite of expr.
func compileBacktracking(expr, rewritten string) (*Regexp, error) {
	bt, err := regexp2.Compile(rewritten, regexp2.ECMAScript|regexp2.Unicode)
	if err != nil {
		return nil, &SyntaxError{Pattern: expr, Reason: err.Error()}
	}
	bt.MatchTimeout = MatchTimeout
	return &Regexp{expr: expr, bt: bt}, nil
}

// MustCompile is like [Compile] but panics on an invalid pattern. Use it
// only for patterns written in the program.
func MustCompile(expr string) *Regexp {
	re, err := Compile(expr)
	if err != nil {
		panic(err)
	}
	return re
}

// MatchString reports whether s contains a match of the pattern. A match
// that times out (see [MatchTimeout]) reports false.
func (re *Regexp) MatchString(s string) bool {
	ok, _ := re.Search(s)
	return ok
}

// Match is [Regexp.MatchString] for a byte slice holding UTF-8 text.
func (re *Regexp) Match(b []byte) bool {
	if re.re2 != nil {
		return re.re2.Match(b)
	}
	return re.MatchString(string(b))
}

// Search reports whether s contains a match of the pattern, like
// [Regexp.MatchString], or [ErrTimeout] when the backtracking engine gave
// up.
func (re *Regexp) Search(s string) (bool, error) {
	if re.re2 != nil {
		return re.re2.MatchString(s), nil
	}
	ok, err := re.bt.MatchString(s)
	if err != nil {
		return false, ErrTimeout
	}
	return ok, nil
}

// Backtracks reports whether the pattern runs on the backtracking engine
// (and so is bounded by [MatchTimeout]) rather than on RE2.
func (re *Regexp) Backtracks() bool { return re.bt != nil }

// String returns the source text of the pattern.
func (re *Regexp) String() string { return re.expr }
