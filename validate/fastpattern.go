package validate

import (
	"fmt"
	"math/bits"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/schemarpc/schemarpc/internal/ecmaregex"
)

// Patterns of the fast path.
//
// JSON Schema patterns are ECMA-262 regular expressions. The fast path
// translates those written in a subset whose meaning is the same in Go's
// RE2 syntax into a Go regexp, which matches without allocating: literals,
// character classes of ASCII characters and ranges, \d \w \s \b and their
// negations, ".", groups, alternation, the quantifiers (greedy or lazy)
// and the anchors ^ and $. Without back-references and look-arounds such a
// pattern denotes a regular language, so whether it matches a string (all
// the pattern keyword asks) does not depend on the engine's search order.
//
// ECMA-262 matches UTF-16 code units (without the u flag), Go matches code
// points; the two agree except on characters outside the Basic
// Multilingual Plane. A pattern that can match a non-ASCII character (".",
// a negated class or escape) is therefore only used on strings without
// such characters; patterns built of ASCII atoms alone match the same on
// every string. Anything else (back-references, look-arounds, named
// groups, Unicode escapes, non-ASCII literals, Annex B oddities) runs on
// internal/ecmaregex, the general validator's own engine.

// fastPattern is a translated pattern, or the general validator's own
// matcher (eng) for a pattern outside the subset.
type fastPattern struct {
	eng     *ecmaregex.Regexp
	re      *regexp.Regexp
	nfa     *bitNFA // when the pattern allows it: faster than re
	dfa     *byteDFA
	needBMP bool // the pattern can match a non-ASCII character
}

// match reports whether s certainly matches: false also when undecided.
func (p *fastPattern) match(s string) bool {
	if p.eng != nil {
		return p.eng.MatchString(s) // false on a timeout too: then undecided
	}
	if p.needBMP {
		for i := range len(s) {
			if s[i] >= 0xF0 { // a 4-byte UTF-8 sequence: two UTF-16 code units
				return false
			}
		}
	}
	if p.dfa != nil {
		return p.dfa.match(s)
	}
	if p.nfa != nil {
		return p.nfa.match(s)
	}
	return p.re.MatchString(s)
}

// compilePattern translates the ECMA-262 pattern expr; outside the subset
// it compiles it with internal/ecmaregex, the general validator's engine
// (which may allocate). It returns nil if expr does not compile.
func compilePattern(expr string) *fastPattern {
	if p := translatePattern(expr); p != nil {
		return p
	}
	re, err := ecmaregex.Compile(expr)
	if err != nil {
		return nil
	}
	return &fastPattern{eng: re}
}

// translatePattern translates the ECMA-262 pattern expr, or returns nil
// when it is outside the subset.
func translatePattern(expr string) *fastPattern {
	t := patternTranslator{src: expr}
	if !t.alternation() || t.i != len(t.src) {
		return nil
	}
	re, err := regexp.Compile(t.out.String())
	if err != nil {
		return nil
	}
	p := &fastPattern{re: re, nfa: newBitNFA(t.out.String()), needBMP: t.needBMP}
	if p.nfa != nil {
		p.dfa = p.nfa.determinize(256)
	}
	return p
}

// A byteDFA is a bitNFA determinized: one table lookup per byte.
type byteDFA struct {
	class       [256]uint8 // byte -> class; bytes no position holds (all beyond ASCII) are class 0
	nclass      int
	next        []uint16 // state*nclass + class -> next state*nclass
	accept      []bool   // by state
	deadOff     int      // the offset of the state after which no match can follow, or -1
	anchorEnd   bool
	anchorStart bool
	acceptNull  bool // the pattern matches the empty string

	// wide is next with a row of 256 bytes per state, for a step of one
	// lookup: state*256 + byte -> next state*256. A quote, a backslash
	// or a byte beyond ASCII leads to the state at offset stop, which
	// leads only to itself and accepts nothing: the string is then left
	// to the general path. Nil for DFAs of more than 255 states.
	wide []uint16
	stop int
}

// determinize builds the DFA of a, or returns nil beyond maxStates. State
// 0 is the start, before any byte.
func (a *bitNFA) determinize(maxStates int) *byteDFA {
	d := &byteDFA{anchorEnd: a.anchorEnd, anchorStart: a.anchorStart}
	// Byte classes: bytes with the same position mask behave the same.
	masks := map[uint64]uint8{0: 0}
	list := []uint64{0}
	for c := range 256 {
		var m uint64
		if c < 128 {
			m = a.mask[c]
		}
		id, ok := masks[m]
		if !ok {
			id = uint8(len(list))
			masks[m] = id
			list = append(list, m)
			if len(list) > 255 {
				return nil
			}
		}
		d.class[c] = id
	}
	d.nclass = len(list)
	type key struct {
		set   uint64
		start bool
	}
	ids := map[key]int{{0, true}: 0}
	states := []key{{0, true}}
	for si := 0; si < len(states); si++ {
		st := states[si]
		var from uint64
		if st.start || !a.anchorStart {
			from = a.first
		}
		for set := st.set; set != 0; {
			p := bits.TrailingZeros64(set)
			set &^= 1 << p
			from |= a.follow[p]
		}
		for _, m := range list {
			k := key{set: from & m}
			id, ok := ids[k]
			if !ok {
				id = len(states)
				if id >= maxStates {
					return nil
				}
				ids[k] = id
				states = append(states, k)
			}
			d.next = append(d.next, uint16(id))
		}
	}
	if len(d.next) > 1<<16 {
		return nil
	}
	for i, id := range d.next {
		d.next[i] = id * uint16(d.nclass)
	}
	d.accept = make([]bool, len(states))
	d.deadOff = -1
	for i, st := range states {
		d.accept[i] = st.set&a.last != 0
		if !st.start && st.set == 0 && a.anchorStart {
			d.deadOff = i * d.nclass // no match can follow
		}
	}
	d.acceptNull = a.nullable
	d.accept[0] = false
	if len(states) < 255 {
		d.widen(len(states))
	}
	return d
}

// widen builds d.wide for a DFA of n states.
func (d *byteDFA) widen(n int) {
	d.stop = n * 256
	d.wide = make([]uint16, (n+1)*256)
	for st := range n {
		for c := range 256 {
			next := uint16(d.stop)
			if c < 0x80 && c != '"' && c != '\\' {
				next = d.next[st*d.nclass+int(d.class[c])] / uint16(d.nclass) * 256
			}
			d.wide[st*256+c] = next
		}
	}
	for c := range 256 {
		d.wide[d.stop+c] = uint16(d.stop)
	}
}

// matchPlain reports whether s, without escapes, is a string the anchored
// DFA d accepts, using d.wide: false for a string with a quote, a
// backslash or a byte beyond ASCII.
func matchPlain[S string | []byte](d *byteDFA, s S) bool {
	st, wide := 0, d.wide
	for i := range len(s) {
		st = int(wide[st+int(s[i])])
	}
	return st != d.stop && (d.accept[st>>8] || (len(s) == 0 && d.acceptNull))
}

func (d *byteDFA) match(s string) bool {
	if d.acceptNull && (!d.anchorEnd || !d.anchorStart || len(s) == 0) {
		return true // an empty match at the start, at the end, or of all of s
	}
	// States are stored as offsets into next (state*nclass), so that a step
	// is two loads and an add.
	st := 0
	next, class, dead := d.next, &d.class, d.deadOff
	if d.anchorEnd {
		// Only the state at the end matters; the dead state leads only to
		// itself, so there is no need to look for it on the way.
		for i := range len(s) {
			st = int(next[st+int(class[s[i]])])
		}
		return d.accept[st/d.nclass]
	}
	for i := range len(s) {
		st = int(next[st+int(class[s[i]])])
		if d.accept[st/d.nclass] {
			return true
		}
		if st == dead {
			return false
		}
	}
	return false
}

// A bitNFA is the Glushkov automaton of a pattern of ASCII character
// classes (no empty-width assertion other than a leading ^ and a trailing
// $) with at most 64 positions, run bit-parallel: the set of active
// positions is one word. Bytes beyond ASCII match no position, as a
// non-ASCII character (one code point, or two UTF-16 code units) matches
// no ASCII class.
type bitNFA struct {
	mask                   [128]uint64 // positions whose class holds the byte
	follow                 [64]uint64
	first, last            uint64
	nullable               bool
	anchorStart, anchorEnd bool
	positions              int
}

// newBitNFA builds the automaton of the Go pattern expr, or returns nil.
func newBitNFA(expr string) *bitNFA {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	a := &bitNFA{}
	subs := []*syntax.Regexp{re}
	if re.Op == syntax.OpConcat {
		subs = re.Sub
	}
	if len(subs) > 0 && subs[0].Op == syntax.OpBeginText {
		a.anchorStart, subs = true, subs[1:]
	}
	if len(subs) > 0 && subs[len(subs)-1].Op == syntax.OpEndText {
		a.anchorEnd, subs = true, subs[:len(subs)-1]
	}
	first, last, nullable, ok := a.build(&syntax.Regexp{Op: syntax.OpConcat, Sub: subs})
	if !ok {
		return nil
	}
	a.first, a.last, a.nullable = first, last, nullable
	return a
}

func (a *bitNFA) position(ranges []rune) (uint64, bool) {
	if a.positions == 64 {
		return 0, false
	}
	p := a.positions
	a.positions++
	for i := 0; i+1 < len(ranges); i += 2 {
		if ranges[i+1] >= 128 {
			return 0, false
		}
		for c := ranges[i]; c <= ranges[i+1]; c++ {
			a.mask[c] |= 1 << p
		}
	}
	return 1 << p, true
}

func (a *bitNFA) link(from, to uint64) {
	for from != 0 {
		p := bits.TrailingZeros64(from)
		from &^= 1 << p
		a.follow[p] |= to
	}
}

// build returns the first and last positions of re and whether it
// matches the empty string, linking follow sets on the way.
func (a *bitNFA) build(re *syntax.Regexp) (first, last uint64, nullable, ok bool) {
	if re.Flags&syntax.FoldCase != 0 {
		return 0, 0, false, false
	}
	switch re.Op {
	case syntax.OpEmptyMatch:
		return 0, 0, true, true
	case syntax.OpLiteral:
		nullable = true
		for _, r := range re.Rune {
			p, ok := a.position([]rune{r, r})
			if !ok {
				return 0, 0, false, false
			}
			first, last, nullable = a.concat(first, last, nullable, p, p, false)
		}
		return first, last, nullable, true
	case syntax.OpCharClass:
		p, ok := a.position(re.Rune)
		return p, p, false, ok
	case syntax.OpCapture:
		return a.build(re.Sub[0])
	case syntax.OpConcat:
		nullable = true
		for _, sub := range re.Sub {
			f, l, n, ok := a.build(sub)
			if !ok {
				return 0, 0, false, false
			}
			first, last, nullable = a.concat(first, last, nullable, f, l, n)
		}
		return first, last, nullable, true
	case syntax.OpAlternate:
		for _, sub := range re.Sub {
			f, l, n, ok := a.build(sub)
			if !ok {
				return 0, 0, false, false
			}
			first, last, nullable = first|f, last|l, nullable || n
		}
		return first, last, nullable, true
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
		f, l, n, ok := a.build(re.Sub[0])
		if !ok {
			return 0, 0, false, false
		}
		if re.Op != syntax.OpQuest {
			a.link(l, f)
		}
		return f, l, n || re.Op != syntax.OpPlus, true
	}
	return 0, 0, false, false // anchors inside, word boundaries, any char, repeats left
}

// concat appends (f2, l2, n2) to (f1, l1, n1).
func (a *bitNFA) concat(f1, l1 uint64, n1 bool, f2, l2 uint64, n2 bool) (uint64, uint64, bool) {
	a.link(l1, f2)
	first, last := f1, l2
	if n1 {
		first |= f2
	}
	if n2 {
		last |= l1
	}
	return first, last, n1 && n2
}

func (a *bitNFA) match(s string) bool {
	if a.nullable && (!a.anchorEnd || !a.anchorStart || len(s) == 0) {
		return true // an empty match at the start, at the end, or of all of s
	}
	var active uint64
	for i := range len(s) {
		c := s[i]
		var next uint64
		if i == 0 || !a.anchorStart {
			next = a.first
		}
		for st := active; st != 0; {
			p := bits.TrailingZeros64(st)
			st &^= 1 << p
			next |= a.follow[p]
		}
		if c < 128 {
			next &= a.mask[c]
		} else {
			next = 0
		}
		active = next
		if active&a.last != 0 && !a.anchorEnd {
			return true
		}
		if active == 0 && a.anchorStart {
			return false
		}
	}
	return active&a.last != 0
}

type patternTranslator struct {
	src     string
	i       int
	out     strings.Builder
	needBMP bool
	depth   int
}

// Each atom matches the characters both ECMA-262 and Go's RE2 syntax give
// it (the general validator may use either engine): \s matches only ASCII
// white space, while \S and [^\s] exclude all of ECMA-262's. A regular
// expression without negation at the top is monotone in its atoms, so the
// translated pattern matches a subset of what either engine matches.
const (
	commonSpace = `\t\n\f\r `
	ecmaSpace   = `\t\n\x0B\f\r \x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}\x{feff}`
	ecmaDigit   = `0-9`
	ecmaWord    = `0-9A-Za-z_`
	ecmaNotEOL  = `[^\n\r\x{2028}\x{2029}]` // within Go's [^\n]
)

func (t *patternTranslator) peek() byte {
	if t.i < len(t.src) {
		return t.src[t.i]
	}
	return 0
}

// alternation: term ("|" term)*
func (t *patternTranslator) alternation() bool {
	for {
		if !t.term() {
			return false
		}
		if t.peek() != '|' {
			return true
		}
		t.i++
		t.out.WriteByte('|')
	}
}

// term: (atom quantifier?)*
func (t *patternTranslator) term() bool {
	for t.i < len(t.src) {
		c := t.src[t.i]
		if c == '|' || c == ')' {
			return true
		}
		quantifiable, ok := t.atom()
		if !ok {
			return false
		}
		if q := t.quantifier(); q == "" {
			continue
		} else if q == "!" || !quantifiable {
			return false
		} else {
			t.out.WriteString(q)
		}
	}
	return true
}

// quantifier returns the Go quantifier at t.i, "" if none, "!" if the
// text there is not a clean quantifier.
func (t *patternTranslator) quantifier() string {
	start := t.i
	switch t.peek() {
	case '*', '+', '?':
		t.i++
	case '{':
		j := t.i + 1
		n := 0
		for j < len(t.src) && t.src[j] >= '0' && t.src[j] <= '9' {
			j++
			n++
		}
		if n == 0 || n > 3 {
			return "!"
		}
		if j < len(t.src) && t.src[j] == ',' {
			j++
			for j < len(t.src) && t.src[j] >= '0' && t.src[j] <= '9' {
				j++
			}
		}
		if j >= len(t.src) || t.src[j] != '}' || j-t.i > 9 {
			return "!"
		}
		t.i = j + 1
	default:
		return ""
	}
	if t.peek() == '?' {
		t.i++
	}
	q := t.src[start:t.i]
	if t.peek() == '*' || t.peek() == '+' || t.peek() == '?' || t.peek() == '{' {
		return "!" // Go rejects stacked quantifiers that ECMA-262 also rejects; keep out
	}
	return q
}

// atom translates one atom; quantifiable is false for anchors.
func (t *patternTranslator) atom() (quantifiable, ok bool) {
	c := t.src[t.i]
	switch {
	case c == '^' || c == '$':
		t.i++
		t.out.WriteByte(c)
		return false, true
	case c == '.':
		t.i++
		t.out.WriteString(ecmaNotEOL)
		t.needBMP = true
		return true, true
	case c == '(':
		t.i++
		if strings.HasPrefix(t.src[t.i:], "?:") {
			t.i += 2
		} else if t.peek() == '?' {
			return false, false // look-arounds, named groups
		}
		t.depth++
		if t.depth > 100 {
			return false, false
		}
		t.out.WriteString("(?:")
		if !t.alternation() || t.peek() != ')' {
			return false, false
		}
		t.i++
		t.depth--
		t.out.WriteByte(')')
		return true, true
	case c == '[':
		return true, t.class()
	case c == '\\':
		return t.escape()
	case c == ')' || c == ']' || c == '{' || c == '}' || c == '*' || c == '+' || c == '?' || c == '|':
		return false, false
	case c < 0x20 || c >= 0x7F:
		return false, false
	default:
		t.i++
		t.out.WriteString(regexp.QuoteMeta(string(c)))
		return true, true
	}
}

// escape translates an escape outside a class.
func (t *patternTranslator) escape() (quantifiable, ok bool) {
	if t.i+1 >= len(t.src) {
		return false, false
	}
	c := t.src[t.i+1]
	t.i += 2
	switch c {
	case 'd':
		t.out.WriteString("[" + ecmaDigit + "]")
	case 'D':
		t.out.WriteString("[^" + ecmaDigit + "]")
		t.needBMP = true
	case 'w':
		t.out.WriteString("[" + ecmaWord + "]")
	case 'W':
		t.out.WriteString("[^" + ecmaWord + "]")
		t.needBMP = true
	case 's':
		t.out.WriteString("[" + commonSpace + "]")
	case 'S':
		t.out.WriteString("[^" + ecmaSpace + "]")
		t.needBMP = true
	case 'b', 'B':
		t.out.WriteString(`\` + string(c)) // ASCII word boundaries in both
		return false, true
	default:
		r, ok := escapedChar(c)
		if !ok {
			return false, false
		}
		fmt.Fprintf(&t.out, `\x{%x}`, r)
	}
	return true, true
}

// escapedChar is the character an identity or control escape stands for.
func escapedChar(c byte) (byte, bool) {
	switch c {
	case 't':
		return '\t', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 'f':
		return '\f', true
	case 'v':
		return '\v', true
	}
	if strings.IndexByte(`^$\.*+?()[]{}|/-`, c) >= 0 {
		return c, true
	}
	return 0, false
}

// class translates a character class of ASCII characters, ranges and the
// \d \w \s escapes.
func (t *patternTranslator) class() bool {
	t.i++ // [
	negated := t.peek() == '^'
	if negated {
		t.i++
		t.needBMP = true
	}
	var body strings.Builder
	items := 0
	for {
		if t.i >= len(t.src) {
			return false
		}
		c := t.src[t.i]
		if c == ']' {
			t.i++
			break
		}
		lo, set, ok := t.classAtom(negated)
		if !ok {
			return false
		}
		items++
		if set != "" {
			if t.peek() == '-' && t.i+1 < len(t.src) && t.src[t.i+1] != ']' {
				return false // Annex B: a class escape in a range
			}
			body.WriteString(set)
			continue
		}
		if t.peek() == '-' && t.i+1 < len(t.src) && t.src[t.i+1] != ']' {
			t.i++
			hi, hset, ok := t.classAtom(negated)
			if !ok || hset != "" || hi < lo {
				return false
			}
			fmt.Fprintf(&body, `\x{%x}-\x{%x}`, lo, hi)
			continue
		}
		fmt.Fprintf(&body, `\x{%x}`, lo)
	}
	if items == 0 {
		return false // [] and [^]: no Go equivalent written the same way
	}
	t.out.WriteByte('[')
	if negated {
		t.out.WriteByte('^')
	}
	t.out.WriteString(body.String())
	t.out.WriteByte(']')
	return true
}

// classAtom reads one character of a class, or a class escape (set).
func (t *patternTranslator) classAtom(negated bool) (c byte, set string, ok bool) {
	c = t.src[t.i]
	if c < 0x20 || c >= 0x7F || c == '[' {
		return 0, "", false
	}
	if c != '\\' {
		t.i++
		return c, "", true
	}
	if t.i+1 >= len(t.src) {
		return 0, "", false
	}
	e := t.src[t.i+1]
	t.i += 2
	switch e {
	case 'd':
		return 0, ecmaDigit, true
	case 'w':
		return 0, ecmaWord, true
	case 's':
		if negated {
			return 0, ecmaSpace, true
		}
		return 0, commonSpace, true
	}
	r, ok := escapedChar(e)
	return r, "", ok
}
