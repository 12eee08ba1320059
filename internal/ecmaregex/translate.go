package ecmaregex

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// maxNesting bounds how deeply groups may nest, so that parsing a hostile
// pattern cannot exhaust the stack.
const maxNesting = 1000

// maxRE2Repeat is the largest count RE2 accepts in {n,m}.
const maxRE2Repeat = 1000

// translation is a pattern rewritten for both engines.
type translation struct {
	re2       string // RE2 syntax; meaningful only when !backtrack
	bt        string // regexp2 syntax (ECMAScript|Unicode options)
	backtrack bool   // the pattern needs the backtracking engine
}

// translate parses an ECMA-262 pattern and rewrites it for both engines.
func translate(expr string) (translation, error) {
	// A first pass learns the capturing groups, which a backreference may
	// name before they appear.
	first := &parser{src: []rune(expr), names: map[string]int{}, collecting: true}
	if err := first.parse(); err != nil {
		return translation{}, err
	}
	p := &parser{src: []rune(expr), names: map[string]int{}, total: first.groups, known: first.names}
	if err := p.parse(); err != nil {
		return translation{}, err
	}
	return translation{re2: p.g.String(), bt: p.b.String(), backtrack: p.backtrack}, nil
}

type parser struct {
	src  []rune
	i    int
	g, b strings.Builder // RE2 and regexp2 output

	backtrack  bool
	groups     int            // capturing groups seen so far
	names      map[string]int // group name → number, seen so far
	collecting bool           // first pass: references are not resolved
	total      int            // second pass: number of capturing groups
	known      map[string]int // second pass: every group name
	depth      int
}

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("at offset %d: %s", p.offset(), fmt.Sprintf(format, args...))
}

// offset is the byte offset of the current position, for error messages.
func (p *parser) offset() int { return len(string(p.src[:min(p.i, len(p.src))])) }

func (p *parser) more() bool { return p.i < len(p.src) }

func (p *parser) peek() rune {
	if p.i < len(p.src) {
		return p.src[p.i]
	}
	return -1
}

func (p *parser) peekAt(k int) rune {
	if p.i+k < len(p.src) {
		return p.src[p.i+k]
	}
	return -1
}

func (p *parser) emit(re2, bt string) {
	p.g.WriteString(re2)
	p.b.WriteString(bt)
}

func (p *parser) parse() error {
	if err := p.disjunction(); err != nil {
		return err
	}
	if p.more() { // only an unmatched ')' stops a top-level disjunction
		return p.errorf("unmatched )")
	}
	return nil
}

func (p *parser) disjunction() error {
	for {
		if err := p.alternative(); err != nil {
			return err
		}
		if p.peek() != '|' {
			return nil
		}
		p.i++
		p.emit("|", "|")
	}
}

func (p *parser) alternative() error {
	for p.more() && p.peek() != '|' && p.peek() != ')' {
		if err := p.term(); err != nil {
			return err
		}
	}
	return nil
}

// term parses an assertion, or an atom and its quantifier.
func (p *parser) term() error {
	c := p.peek()
	switch {
	case c == '^' || c == '$':
		p.i++
		p.emit(string(c), string(c))
		return p.noQuantifier()
	case c == '\\' && (p.peekAt(1) == 'b' || p.peekAt(1) == 'B'):
		p.i += 2
		s := `\` + string(p.src[p.i-1])
		p.emit(s, s)
		return p.noQuantifier()
	case c == '(':
		quantifiable, err := p.group()
		if err != nil {
			return err
		}
		if !quantifiable {
			return p.noQuantifier()
		}
	case c == '*' || c == '+' || c == '?':
		return p.errorf("nothing to repeat before %c", c)
	case c == '{':
		if _, _, _, ok := p.counted(); ok {
			return p.errorf("nothing to repeat before {")
		}
		p.i++
		p.literal('{')
	case c == '.':
		p.i++
		p.set(dotSet)
	case c == '[':
		s, err := p.class()
		if err != nil {
			return err
		}
		p.set(s)
	case c == '\\':
		if err := p.atomEscape(); err != nil {
			return err
		}
	default: // a pattern character, including a lone } or ]
		p.i++
		p.literal(c)
	}
	return p.quantifier()
}

// noQuantifier rejects a quantifier after something that cannot repeat.
func (p *parser) noQuantifier() error {
	switch c := p.peek(); c {
	case '*', '+', '?':
		return p.errorf("nothing to repeat before %c", c)
	case '{':
		if _, _, _, ok := p.counted(); ok {
			return p.errorf("nothing to repeat before {")
		}
	}
	return nil
}

// quantifier parses an optional quantifier after an atom.
func (p *parser) quantifier() error {
	var q string
	switch c := p.peek(); c {
	case '*', '+', '?':
		p.i++
		q = string(c)
	case '{':
		lo, hi, n, ok := p.counted()
		if !ok {
			return nil // a literal {, parsed as the next term
		}
		p.i += n
		if hi >= 0 && lo > hi {
			return p.errorf("numbers out of order in {} quantifier")
		}
		if lo > maxRE2Repeat || hi > maxRE2Repeat {
			p.backtrack = true
		}
		switch {
		case hi == lo:
			q = fmt.Sprintf("{%d}", lo)
		case hi < 0:
			q = fmt.Sprintf("{%d,}", lo)
		default:
			q = fmt.Sprintf("{%d,%d}", lo, hi)
		}
	default:
		return nil
	}
	if p.peek() == '?' {
		p.i++
		q += "?"
	}
	p.emit(q, q)
	return p.noQuantifier()
}

// counted reads {n}, {n,} or {n,m} at the current position without
// consuming it: the bounds (hi is -1 when open), the length in runes, and
// whether it is a quantifier at all. Counts saturate at a value above every
// engine's limit.
func (p *parser) counted() (lo, hi, n int, ok bool) {
	j := p.i + 1
	num := func() (int, bool) {
		start, v := j, 0
		for j < len(p.src) && p.src[j] >= '0' && p.src[j] <= '9' {
			v = min(v*10+int(p.src[j]-'0'), 1<<30)
			j++
		}
		return v, j > start
	}
	lo, ok = num()
	if !ok {
		return 0, 0, 0, false
	}
	hi = lo
	if j < len(p.src) && p.src[j] == ',' {
		j++
		var has bool
		if hi, has = num(); !has {
			hi = -1
		}
	}
	if j >= len(p.src) || p.src[j] != '}' {
		return 0, 0, 0, false
	}
	return lo, hi, j + 1 - p.i, true
}

// group parses a parenthesised group and reports whether it may be
// quantified.
func (p *parser) group() (bool, error) {
	if p.depth >= maxNesting {
		return false, p.errorf("groups nest more than %d deep", maxNesting)
	}
	p.i++ // (
	quantifiable := true
	if p.peek() == '?' {
		switch {
		case p.peekAt(1) == ':':
			p.i += 2
			p.emit("(?:", "(?:")
		case p.peekAt(1) == '=' || p.peekAt(1) == '!':
			s := "(?" + string(p.peekAt(1))
			p.i += 2
			p.backtrack, quantifiable = true, false
			p.emit("(?:", s) // RE2 output is unused
		case p.peekAt(1) == '<' && (p.peekAt(2) == '=' || p.peekAt(2) == '!'):
			s := "(?<" + string(p.peekAt(2))
			p.i += 3
			p.backtrack, quantifiable = true, false
			p.emit("(?:", s)
		case p.peekAt(1) == '<':
			p.i += 2
			name, err := p.groupName()
			if err != nil {
				return false, err
			}
			if _, dup := p.names[name]; dup {
				return false, p.errorf("duplicate group name %q", name)
			}
			p.groups++
			p.names[name] = p.groups
			p.emit("(", "(")
		default:
			return false, p.errorf("invalid group")
		}
	} else {
		p.groups++
		p.emit("(", "(")
	}
	p.depth++
	if err := p.disjunction(); err != nil {
		return false, err
	}
	p.depth--
	if p.peek() != ')' {
		return false, p.errorf("missing )")
	}
	p.i++
	p.emit(")", ")")
	return quantifiable, nil
}

// groupName reads an identifier and the closing >.
func (p *parser) groupName() (string, error) {
	start := p.i
	for p.more() && p.peek() != '>' {
		c := p.peek()
		if !(c == '$' || c == '_' || unicode.IsLetter(c) || (p.i > start && unicode.IsDigit(c))) {
			return "", p.errorf("invalid group name")
		}
		p.i++
	}
	if !p.more() || p.i == start {
		return "", p.errorf("invalid group name")
	}
	name := string(p.src[start:p.i])
	p.i++ // >
	return name, nil
}

// atomEscape parses an escape outside a class (not \b or \B).
func (p *parser) atomEscape() error {
	p.i++ // backslash
	if !p.more() {
		return p.errorf(`\ at end of pattern`)
	}
	c := p.peek()
	switch {
	case c >= '1' && c <= '9':
		n := 0
		for p.more() && p.peek() >= '0' && p.peek() <= '9' {
			n = min(n*10+int(p.peek()-'0'), 1<<30)
			p.i++
		}
		if !p.collecting && n > p.total {
			return p.errorf(`backreference \%d to a group that does not exist`, n)
		}
		p.backref(n)
		return nil
	case c == 'k':
		p.i++
		if p.peek() != '<' {
			return p.errorf(`\k must name a group: \k<name>`)
		}
		p.i++
		name, err := p.groupName()
		if err != nil {
			return err
		}
		n, ok := p.known[name]
		if !p.collecting && !ok {
			return p.errorf("backreference to a group named %q that does not exist", name)
		}
		p.backref(n)
		return nil
	}
	if s, ok, err := p.classEscape(); ok || err != nil {
		if err == nil {
			p.set(s)
		}
		return err
	}
	r, err := p.characterEscape(false)
	if err != nil {
		return err
	}
	p.literal(r)
	return nil
}

func (p *parser) backref(n int) {
	p.backtrack = true
	p.emit("", fmt.Sprintf(`(?:\%d)`, n))
}

// classEscape parses \d \D \w \W \s \S \p{…} \P{…} (the backslash already
// consumed); ok is false, with nothing consumed, for any other escape.
func (p *parser) classEscape() (s runeSet, ok bool, err error) {
	c := p.peek()
	switch c {
	case 'd', 'D', 'w', 'W', 's', 'S':
		p.i++
		s = map[rune]runeSet{'d': digitSet, 'w': wordSet, 's': spaceSet}[unicode.ToLower(c)]
	case 'p', 'P':
		p.i++
		if s, err = p.property(); err != nil {
			return nil, true, err
		}
	default:
		return nil, false, nil
	}
	if unicode.IsUpper(c) {
		s = s.complement()
	}
	return s, true, nil
}

// property parses {Name} or {Key=Value} after \p or \P.
func (p *parser) property() (runeSet, error) {
	if p.peek() != '{' {
		return nil, p.errorf(`\p must name a property: \p{Name}`)
	}
	start := p.i + 1
	end := start
	for end < len(p.src) && p.src[end] != '}' {
		end++
	}
	if end >= len(p.src) {
		return nil, p.errorf(`missing } after \p{`)
	}
	name := string(p.src[start:end])
	s, err := propertySet(name)
	if err != nil {
		return nil, p.errorf("%v", err)
	}
	p.i = end + 1
	return s, nil
}

// characterEscape parses an escape that stands for one character (the
// backslash already consumed). A lone surrogate comes back as itself; it
// matches nothing, since the strings matched are valid UTF-8.
func (p *parser) characterEscape(inClass bool) (rune, error) {
	c := p.peek()
	p.i++
	switch c {
	case 't':
		return '\t', nil
	case 'n':
		return '\n', nil
	case 'v':
		return '\v', nil
	case 'f':
		return '\f', nil
	case 'r':
		return '\r', nil
	case 'c':
		if l := p.peek(); l >= 'a' && l <= 'z' || l >= 'A' && l <= 'Z' {
			p.i++
			return l % 32, nil
		}
		return 0, p.errorf(`\c must be followed by a letter`)
	case '0':
		if d := p.peek(); d >= '0' && d <= '9' {
			return 0, p.errorf(`octal escapes are not allowed`)
		}
		return 0, nil
	case 'x':
		if v, ok := p.hex(2); ok {
			return v, nil
		}
		return 0, p.errorf(`\x must be followed by two hex digits`)
	case 'u':
		return p.unicodeEscape()
	case 'b':
		if inClass {
			return '\b', nil
		}
	}
	switch {
	case c == '-' || c == '/' || strings.ContainsRune(`^$\.*+?()[]{}|`, c):
		return c, nil
	case c < 0x80 && !isASCIIAlnum(c) && c >= 0x20 && c != 0x7f:
		return c, nil // Annex B identity escape of ASCII punctuation or space
	case c >= 0x80 && !unicode.IsLetter(c) && !unicode.IsDigit(c):
		return c, nil
	}
	p.i--
	return 0, p.errorf(`invalid escape \%c`, c)
}

func (p *parser) unicodeEscape() (rune, error) {
	if p.peek() == '{' {
		j := p.i + 1
		v := 0
		for j < len(p.src) && isHex(p.src[j]) && v <= unicode.MaxRune {
			v = v*16 + hexVal(p.src[j])
			j++
		}
		if j == p.i+1 || j >= len(p.src) || p.src[j] != '}' || v > unicode.MaxRune {
			return 0, p.errorf(`\u{…} must hold a code point in hex`)
		}
		p.i = j + 1
		return rune(v), nil
	}
	v, ok := p.hex(4)
	if !ok {
		return 0, p.errorf(`\u must be followed by four hex digits or {…}`)
	}
	if v >= 0xd800 && v <= 0xdbff && p.peek() == '\\' && p.peekAt(1) == 'u' {
		save := p.i
		p.i += 2
		if lo, ok := p.hex(4); ok && lo >= 0xdc00 && lo <= 0xdfff {
			return (v-0xd800)<<10 + (lo - 0xdc00) + 0x10000, nil
		}
		p.i = save
	}
	return v, nil
}

func (p *parser) hex(n int) (rune, bool) {
	if p.i+n > len(p.src) {
		return 0, false
	}
	v := 0
	for _, c := range p.src[p.i : p.i+n] {
		if !isHex(c) {
			return 0, false
		}
		v = v*16 + hexVal(c)
	}
	p.i += n
	return rune(v), true
}

// class parses [...] into a set.
func (p *parser) class() (runeSet, error) {
	p.i++ // [
	negate := false
	if p.peek() == '^' {
		negate = true
		p.i++
	}
	var s runeSet
	for {
		if !p.more() {
			return nil, p.errorf("missing ]")
		}
		if p.peek() == ']' {
			p.i++
			break
		}
		lo, loSet, err := p.classAtom()
		if err != nil {
			return nil, err
		}
		if p.peek() != '-' || p.peekAt(1) == ']' || p.peekAt(1) == -1 {
			s = s.add(lo, loSet)
			continue
		}
		p.i++ // -
		hi, hiSet, err := p.classAtom()
		if err != nil {
			return nil, err
		}
		if loSet != nil || hiSet != nil {
			// Annex B: a class escape at either end makes - a literal.
			s = s.add(lo, loSet).add('-', nil).add(hi, hiSet)
			continue
		}
		if lo > hi {
			return nil, p.errorf("range out of order in character class: %s-%s", quoteRune(lo), quoteRune(hi))
		}
		s = append(s, runeRange{lo, hi})
	}
	s = s.normalize()
	if negate {
		s = s.complement()
	}
	return s, nil
}

// classAtom parses one class member: a character, or a set for a class
// escape.
func (p *parser) classAtom() (rune, runeSet, error) {
	c := p.peek()
	if c != '\\' {
		p.i++
		return c, nil, nil
	}
	p.i++
	if !p.more() {
		return 0, nil, p.errorf(`\ at end of pattern`)
	}
	if s, ok, err := p.classEscape(); ok || err != nil {
		return 0, s, err
	}
	if d := p.peek(); d >= '1' && d <= '9' {
		return 0, nil, p.errorf(`backreference \%c inside a character class`, d)
	}
	r, err := p.characterEscape(true)
	return r, nil, err
}

// literal emits one character.
func (p *parser) literal(r rune) {
	if isSurrogate(r) {
		p.set(nil) // never in a valid UTF-8 string
		return
	}
	if isASCIIAlnum(r) {
		p.emit(string(r), string(r))
		return
	}
	p.emit(fmt.Sprintf(`\x{%x}`, r), fmt.Sprintf(`\u{%x}`, r))
}

// set emits a class for s, or for its complement when that is shorter.
func (p *parser) set(s runeSet) {
	s = s.normalize()
	neg := false
	if c := s.complement(); len(c) < len(s) {
		s, neg = c, true
	}
	if len(s) == 0 {
		// Nothing (or, negated, everything): a class always needs a member.
		s, neg = runeSet{{0, unicode.MaxRune}}, !neg
	}
	var g, b strings.Builder
	g.WriteByte('[')
	b.WriteByte('[')
	if neg {
		g.WriteByte('^')
		b.WriteByte('^')
	}
	for _, r := range s {
		fmt.Fprintf(&g, `\x{%x}`, r.lo)
		fmt.Fprintf(&b, `\u{%x}`, r.lo)
		if r.hi != r.lo {
			fmt.Fprintf(&g, `-\x{%x}`, r.hi)
			fmt.Fprintf(&b, `-\u{%x}`, r.hi)
		}
	}
	g.WriteByte(']')
	b.WriteByte(']')
	p.emit(g.String(), b.String())
}

func isASCIIAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func isHex(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
}

func hexVal(r rune) int {
	v, _ := strconv.ParseInt(string(r), 16, 8)
	return int(v)
}

func isSurrogate(r rune) bool { return r >= 0xd800 && r <= 0xdfff }

func quoteRune(r rune) string {
	if r >= 0x20 && r < 0x7f {
		return string(r)
	}
	return fmt.Sprintf(`\u{%x}`, r)
}

var errUnsupported = errors.New("unsupported")
