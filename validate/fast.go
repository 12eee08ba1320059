package validate

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// The fast path.
//
// For a schema inside the supported subset — everything the schema package
// reflects from Go types: nested objects, references (recursive ones too),
// arrays, maps, enums, nullable values, numeric bounds, string lengths,
// patterns and the standard formats; and oneOf, decided when its branches
// are told apart by type or by a required member — Compile also builds a fastNode graph
// that checks raw JSON bytes in one pass, without decoding them into maps
// and interfaces and without allocating.
//
// The fast check is one-sided: it answers "certainly valid" or
// "undecided", never "invalid". Only "certainly valid" skips the general
// validator; anything else — a failing value, an escaped string under a
// string constraint, a number too long to compare exactly, a pattern or
// format case the fast checkers do not decide — goes through the general
// validator, which also words the violations. So the fast path can change
// how long validation takes, never its outcome or its messages, provided it
// only answers "certainly valid" for instances the general validator
// accepts. The differential tests and fuzz targets in fast*_test.go
// generate schemas of the subset and instances for them and hold it to
// that.

// JSON types, as a bit set.
const (
	tNull uint8 = 1 << iota
	tBoolean
	tString
	tInteger // a number literal without fraction or exponent
	tNumber  // any number
	tObject
	tArray
	tAll = tNull | tBoolean | tString | tInteger | tNumber | tObject | tArray
)

var typeBits = map[string]uint8{
	"null": tNull, "boolean": tBoolean, "string": tString, "integer": tInteger,
	"number": tNumber | tInteger, "object": tObject, "array": tArray,
}

// A fastNode checks one schema. Keywords apply to the values of their type
// only, as in JSON Schema.
type fastNode struct {
	types uint8 // allowed types
	any   bool  // no constraint at all: skip the value

	enum  [][]byte // enum/const: compact encodings; nil when absent
	allOf []*fastNode
	anyOf []*fastNode
	oneOf []*fastNode // valid when one branch certainly holds and every other certainly fails (see certainlyFails)

	// strings
	strConstrained bool
	minLen, maxLen int // -1 when unset
	pattern        *fastPattern
	rawDFA         *byteDFA // the pattern's DFA, when it is anchored at both ends and the only string constraint besides lengths
	format         func(string) bool

	// numbers
	numConstrained bool
	ints           intBounds
	fracs          fracBounds
	floats         floatBounds
	multipleOf     int64 // > 0: integers must be multiples; -1: any multipleOf not decided here

	// objects
	props        map[string]*fastProp
	propList     []*fastProp // the same, indexed by propTab
	propTab      *[64]int8   // propHash(name, propSeed) -> index in propList, -1 if none; nil on collisions
	propSeed     uint32
	order        []*fastProp // the members expected, in the order of "required"; names without escapes only
	nRequired    int
	patternProps []fastPatternProp
	additional   *fastNode // nil: any value
	maxProps     int       // -1 when unset (minProperties is not supported: duplicate keys would count twice)

	// arrays
	items              *fastNode // nil: any value
	minItems, maxItems int       // maxItems -1 when unset
	uniqueItems        bool
}

type fastProp struct {
	name     string
	node     *fastNode // nil when the name is only required, not a property
	required int       // bit index among required names, or -1
	order    int       // index in the node's order, or -1
}

type fastPatternProp struct {
	re   *fastPattern
	node *fastNode
}

// intBounds are the bounds for integer literals, inclusive.
type intBounds struct {
	lo, hi       int64
	hasLo, hasHi bool
	none         bool // no int64 satisfies them
}

// fracBounds decide numbers with a fraction (and no exponent) exactly
// when every bound is an integer: x with floor L satisfies minimum m and
// exclusiveMinimum m when L >= m, maximum m and exclusiveMaximum m when
// L+1 <= m.
type fracBounds struct {
	lo, hi       int64
	hasLo, hasHi bool
	notInt       bool // some bound is not an int64: use floatBounds
}

// floatBounds are the bounds for other numbers; inexact when some bound
// cannot be compared exactly as a float64.
type floatBounds struct {
	min, max, exMin, exMax         float64
	hasMin, hasMax, hasEx, hasExMx bool
	inexact                        bool
}

// annotations are keywords that never affect validation. contentEncoding
// and contentMediaType are annotations too: Compile does not assert them.
var annotations = map[string]bool{
	"title": true, "description": true, "default": true, "examples": true,
	"deprecated": true, "readOnly": true, "writeOnly": true, "$comment": true,
	"contentEncoding": true, "contentMediaType": true, "contentSchema": true,
	"$defs": true, "definitions": true,
}

var (
	anyNode   = &fastNode{types: tAll, any: true, minLen: -1, maxLen: -1, maxProps: -1, maxItems: -1}
	neverNode = &fastNode{minLen: -1, maxLen: -1, maxProps: -1, maxItems: -1}
)

// fastBuilder builds the fastNode graph of one schema document.
type fastBuilder struct {
	root    any
	formats bool                 // formats are asserted with the semantics the fast checkers implement
	refs    map[string]*fastNode // by resolved reference: shared and possibly recursive
}

// buildFast returns the fast checker of the schema document doc, or nil
// when the schema uses anything beyond the supported subset.
func buildFast(doc any, draft7 bool) (n *fastNode) {
	defer func() {
		if recover() != nil { // a malformed schema that compiled anyway: no fast path
			n = nil
		}
	}()
	if m, ok := doc.(map[string]any); ok {
		if s, ok := m["$schema"]; ok {
			switch s {
			case "https://json-schema.org/draft/2020-12/schema", "https://json-schema.org/draft/2020-12/schema#":
			case "http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema":
				draft7 = true
			default:
				return nil
			}
		}
	}
	if hasScopeKeywords(doc) {
		return nil // references would resolve against other bases
	}
	b := &fastBuilder{root: doc, formats: !draft7, refs: map[string]*fastNode{}}
	if m, ok := doc.(map[string]any); ok && !b.onlyRef(m) {
		// Registered first, so that "#" leads back to it.
		n = &fastNode{types: tAll, minLen: -1, maxLen: -1, maxProps: -1, maxItems: -1}
		b.refs["#"] = n
		if !b.fill(n, m, true) {
			return nil
		}
	} else {
		n = b.build(doc, true)
	}
	if n == nil || !acyclic(n) {
		return nil
	}
	return n
}

// hasScopeKeywords reports whether any object in doc has a member that
// changes how references resolve ($id, anchors, dynamic references). Such
// a member name in "properties" counts too: the fast path is then only
// given up, never wrong.
func hasScopeKeywords(doc any) bool {
	switch d := doc.(type) {
	case map[string]any:
		for k, v := range d {
			switch k {
			case "$id", "$anchor", "$dynamicAnchor", "$recursiveAnchor", "$dynamicRef", "$recursiveRef":
				return true
			}
			if hasScopeKeywords(v) {
				return true
			}
		}
	case []any:
		for _, v := range d {
			if hasScopeKeywords(v) {
				return true
			}
		}
	}
	return false
}

// build returns the node of schema s, or nil when s is outside the subset.
func (b *fastBuilder) build(s any, root bool) *fastNode {
	switch s := s.(type) {
	case bool:
		if s {
			return anyNode
		}
		return neverNode
	case map[string]any:
		if ref, ok := s["$ref"]; ok && b.onlyRef(s) {
			return b.ref(ref)
		}
		n := &fastNode{types: tAll, minLen: -1, maxLen: -1, maxProps: -1, maxItems: -1}
		if !b.fill(n, s, root) {
			return nil
		}
		return n
	}
	return nil
}

// onlyRef reports whether s is a reference with nothing else that matters.
func (b *fastBuilder) onlyRef(s map[string]any) bool {
	for k := range s {
		if k != "$ref" && !annotations[k] {
			return false
		}
	}
	return true
}

// ref returns the node a reference leads to, building it once: a
// recursive reference gets the node under construction.
func (b *fastBuilder) ref(v any) *fastNode {
	ref, target, ok := b.resolve(v)
	if !ok {
		return nil
	}
	if n, ok := b.refs[ref]; ok {
		return n // nil if building it failed
	}
	if t, ok := target.(bool); ok {
		b.refs[ref] = b.build(t, false)
		return b.refs[ref]
	}
	m, ok := target.(map[string]any)
	if !ok {
		b.refs[ref] = nil
		return nil
	}
	n := &fastNode{types: tAll, minLen: -1, maxLen: -1, maxProps: -1, maxItems: -1}
	b.refs[ref] = n
	if !b.fill(n, m, false) {
		b.refs[ref] = nil
		return nil
	}
	return n
}

// resolve follows a chain of references inside the document to a schema
// that is not a bare reference. ref identifies that schema.
func (b *fastBuilder) resolve(v any) (ref string, target any, ok bool) {
	seen := map[string]bool{}
	for {
		s, isStr := v.(string)
		if !isStr || seen[s] {
			return "", nil, false
		}
		seen[s] = true
		t, found := resolvePointer(b.root, s)
		if !found {
			return "", nil, false
		}
		if m, isMap := t.(map[string]any); isMap {
			if next, has := m["$ref"]; has && b.onlyRef(m) {
				v = next
				continue
			}
		}
		return s, t, true
	}
}

// resolvePointer evaluates the fragment reference ref ("#/a/b") in doc.
func resolvePointer(doc any, ref string) (any, bool) {
	frag, ok := strings.CutPrefix(ref, "#")
	if !ok || (frag != "" && frag[0] != '/') || strings.ContainsAny(frag, "%") {
		return nil, false
	}
	cur := doc
	if frag == "" {
		return cur, true
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, false
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) || (len(tok) > 1 && tok[0] == '0') {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// fill records the keywords of s in n; false means some keyword is outside
// the subset.
func (b *fastBuilder) fill(n *fastNode, s map[string]any, root bool) bool {
	var required []string
	for k, v := range s {
		if annotations[k] || (root && (k == "components" || k == "$schema")) {
			continue
		}
		ok := true
		switch k {
		case "type":
			ok = n.setTypes(v)
		case "enum":
			vals, isList := v.([]any)
			ok = isList && n.setEnum(vals)
		case "const":
			ok = n.setEnum([]any{v})
		case "$ref":
			sub := b.ref(v)
			ok = sub != nil
			n.allOf = append(n.allOf, sub)
		case "allOf", "anyOf", "oneOf":
			list, isList := v.([]any)
			if !isList || len(list) == 0 {
				return false
			}
			for _, e := range list {
				sub := b.build(e, false)
				if sub == nil {
					return false
				}
				switch k {
				case "allOf":
					n.allOf = append(n.allOf, sub)
				case "anyOf":
					n.anyOf = append(n.anyOf, sub)
				default:
					n.oneOf = append(n.oneOf, sub)
				}
			}
		case "minLength":
			ok = setCount(&n.minLen, v)
			n.strConstrained = true
		case "maxLength":
			ok = setCount(&n.maxLen, v)
			n.strConstrained = true
		case "pattern":
			p, isStr := v.(string)
			n.pattern = compilePattern(p)
			ok = isStr && n.pattern != nil
			n.strConstrained = true
		case "format":
			name, isStr := v.(string)
			ok = isStr && b.formats && fastFormats[name] != nil
			n.format = fastFormats[name]
			n.strConstrained = true
		case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
			ok = n.setBound(k, v)
			n.numConstrained = true
		case "multipleOf":
			ok = n.setMultipleOf(v)
			n.numConstrained = true
		case "properties":
			props, isMap := v.(map[string]any)
			if !isMap {
				return false
			}
			for name, ps := range props {
				sub := b.build(ps, false)
				if sub == nil {
					return false
				}
				n.prop(name).node = sub
			}
		case "required":
			var isList bool
			required, isList = stringList(v)
			ok = isList && len(required) <= 64
		case "patternProperties":
			pps, isMap := v.(map[string]any)
			if !isMap {
				return false
			}
			for expr, ps := range pps {
				re, sub := compilePattern(expr), b.build(ps, false)
				if re == nil || sub == nil {
					return false
				}
				n.patternProps = append(n.patternProps, fastPatternProp{re, sub})
			}
		case "additionalProperties":
			n.additional = b.build(v, false)
			ok = n.additional != nil
			if n.additional == anyNode {
				n.additional = nil
			}
		case "maxProperties":
			ok = setCount(&n.maxProps, v)
		case "items":
			if _, isList := v.([]any); isList {
				return false // draft-07 tuples
			}
			n.items = b.build(v, false)
			ok = n.items != nil
			if n.items == anyNode {
				n.items = nil
			}
		case "minItems":
			ok = setCount(&n.minItems, v)
		case "maxItems":
			ok = setCount(&n.maxItems, v)
		case "uniqueItems":
			u, isBool := v.(bool)
			ok = isBool
			n.uniqueItems = u
		default:
			return false
		}
		if !ok {
			return false
		}
	}
	// Required names get bit indexes (duplicates share one), and those
	// that can only be written one way are expected in their order.
	for _, name := range required {
		p := n.prop(name)
		if p.required < 0 {
			p.required = n.nRequired
			n.nRequired++
			if plainName(name) {
				p.order = len(n.order)
				n.order = append(n.order, p)
			}
		}
	}
	if p := n.pattern; p != nil && p.eng == nil && p.dfa != nil && p.dfa.anchorStart && p.dfa.anchorEnd && n.format == nil {
		n.rawDFA = p.dfa
	}
	n.indexProps()
	return true
}

// propHash is a cheap hash of a member name for propTab; scanKey
// computes the same while it scans.
func propHash(name string, seed uint32) int {
	h := seed
	for i := range len(name) {
		h = h*31 + uint32(name[i])
	}
	h *= 0x9E3779B1
	return int(h >> 26)
}

// plainName reports whether name is printable ASCII without a quote or a
// backslash: a member name whose raw bytes are name is name, written
// without escapes.
func plainName(name string) bool {
	for i := range len(name) {
		if c := name[i]; c < ' ' || c > '~' || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

// sameName reports whether the raw member name key is name; short names
// are compared in place, without a call.
func sameName(name string, key []byte) bool {
	if len(name) != len(key) {
		return false
	}
	if len(name) > 16 {
		return name == string(key)
	}
	for i := range len(name) {
		if name[i] != key[i] {
			return false
		}
	}
	return true
}

// scanKey is scanString for a member name, computing its propHash too.
func scanKey(b []byte, i int, seed uint32) (end, hash int, escaped, nonASCII bool) {
	h := seed
	for i++; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			h *= 0x9E3779B1
			return i + 1, int(h >> 26), escaped, nonASCII
		case c == '\\':
			escaped = true
			i++
		case c >= utf8.RuneSelf:
			nonASCII = true
		}
		h = h*31 + uint32(c)
	}
	return len(b) + 1, 0, escaped, nonASCII
}

// indexProps builds propTab with a seed under which the names do not
// collide, if it finds one; otherwise the map decides.
func (n *fastNode) indexProps() {
	if len(n.propList) == 0 || len(n.propList) > 32 {
		return
	}
	var tab [64]int8
seeds:
	for seed := uint32(1); seed < 200; seed++ {
		for i := range tab {
			tab[i] = -1
		}
		for i, p := range n.propList {
			h := propHash(p.name, seed)
			if tab[h] >= 0 {
				continue seeds
			}
			tab[h] = int8(i)
		}
		n.propTab, n.propSeed = &tab, seed
		return
	}
}

func (n *fastNode) prop(name string) *fastProp {
	if n.props == nil {
		n.props = map[string]*fastProp{}
	}
	p := n.props[name]
	if p == nil {
		p = &fastProp{name: name, required: -1, order: -1}
		n.props[name] = p
		n.propList = append(n.propList, p)
	}
	return p
}

func (n *fastNode) setTypes(v any) bool {
	var mask uint8
	switch v := v.(type) {
	case string:
		mask = typeBits[v]
		if mask == 0 {
			return false
		}
	case []any:
		if len(v) == 0 {
			return false
		}
		for _, e := range v {
			s, _ := e.(string)
			if typeBits[s] == 0 {
				return false
			}
			mask |= typeBits[s]
		}
	default:
		return false
	}
	n.types &= mask
	return true
}

// setEnum records the values as compact encodings. An instance whose bytes
// equal one of them certainly equals that value; any other instance is
// left to the general validator.
func (n *fastNode) setEnum(vals []any) bool {
	if n.enum != nil {
		return false // enum and const together: rare, left to the general validator
	}
	n.enum = make([][]byte, 0, len(vals))
	for _, v := range vals {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return false
		}
		n.enum = append(n.enum, bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	return true
}

func setCount(dst *int, v any) bool {
	num, ok := v.(json.Number)
	if !ok {
		return false
	}
	i, err := strconv.Atoi(string(num))
	if err != nil || i < 0 {
		return false
	}
	*dst = i
	return true
}

var (
	minInt64 = big.NewInt(math.MinInt64)
	maxInt64 = big.NewInt(math.MaxInt64)
)

// setBound records a numeric bound exactly for integer instances, and as a
// float64 for other numbers when that comparison is exact.
func (n *fastNode) setBound(k string, v any) bool {
	num, ok := v.(json.Number)
	if !ok {
		return false
	}
	r, ok := new(big.Rat).SetString(string(num))
	if !ok {
		return false
	}
	// Integer bounds: x >= ceil(m) for minimum, x >= floor(m)+1 for
	// exclusiveMinimum, and so on.
	fl := new(big.Int).Quo(r.Num(), r.Denom()) // truncated toward zero
	if r.Sign() < 0 && !r.IsInt() {
		fl.Sub(fl, big.NewInt(1))
	}
	ce := new(big.Int).Set(fl)
	if !r.IsInt() {
		ce.Add(ce, big.NewInt(1))
	}
	fb0 := &n.fracs
	if !r.IsInt() || r.Num().Cmp(minInt64) <= 0 || r.Num().Cmp(maxInt64) >= 0 {
		fb0.notInt = true
	} else if m := r.Num().Int64(); k == "minimum" || k == "exclusiveMinimum" {
		if !fb0.hasLo || m > fb0.lo {
			fb0.lo, fb0.hasLo = m, true
		}
	} else if !fb0.hasHi || m < fb0.hi {
		fb0.hi, fb0.hasHi = m, true
	}
	var lo, hi *big.Int
	switch k {
	case "minimum":
		lo = ce
	case "exclusiveMinimum":
		lo = fl.Add(fl, big.NewInt(1))
	case "maximum":
		hi = fl
	case "exclusiveMaximum":
		hi = ce.Sub(ce, big.NewInt(1))
	}
	b := &n.ints
	switch {
	case lo != nil && lo.Cmp(maxInt64) > 0, hi != nil && hi.Cmp(minInt64) < 0:
		b.none = true
	case lo != nil && lo.Cmp(minInt64) > 0:
		if !b.hasLo || lo.Int64() > b.lo {
			b.lo, b.hasLo = lo.Int64(), true
		}
	case hi != nil && hi.Cmp(maxInt64) < 0:
		if !b.hasHi || hi.Int64() < b.hi {
			b.hi, b.hasHi = hi.Int64(), true
		}
	}
	if b.hasLo && b.hasHi && b.lo > b.hi {
		b.none = true
	}
	// Float bounds.
	f, exact := plainFloat([]byte(num))
	if !exact {
		n.floats.inexact = true
		return true
	}
	fb := &n.floats
	switch k {
	case "minimum":
		if !fb.hasMin || f > fb.min {
			fb.min, fb.hasMin = f, true
		}
	case "maximum":
		if !fb.hasMax || f < fb.max {
			fb.max, fb.hasMax = f, true
		}
	case "exclusiveMinimum":
		if !fb.hasEx || f > fb.exMin {
			fb.exMin, fb.hasEx = f, true
		}
	case "exclusiveMaximum":
		if !fb.hasExMx || f < fb.exMax {
			fb.exMax, fb.hasExMx = f, true
		}
	}
	return true
}

func (n *fastNode) setMultipleOf(v any) bool {
	num, ok := v.(json.Number)
	if !ok {
		return false
	}
	if i, err := strconv.ParseInt(string(num), 10, 64); err == nil && i > 0 {
		n.multipleOf = i
	} else {
		n.multipleOf = -1 // decided by the general validator
	}
	return true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// parseDecimal reads a number literal without exponent and with at most
// 18 integer digits: its sign, integer part and whether its fraction is
// not zero.
func parseDecimal(lit []byte) (neg bool, ip int64, fracNonZero, ok bool) {
	i := 0
	if len(lit) > 0 && lit[0] == '-' {
		neg, i = true, 1
	}
	start := i
	for i < len(lit) && lit[i] >= '0' && lit[i] <= '9' {
		ip = ip*10 + int64(lit[i]-'0')
		i++
	}
	if i == start || i-start > 18 {
		return false, 0, false, false
	}
	if i < len(lit) {
		if lit[i] != '.' {
			return false, 0, false, false
		}
		for i++; i < len(lit); i++ {
			switch c := lit[i]; {
			case c == '0':
			case c >= '1' && c <= '9':
				fracNonZero = true
			default:
				return false, 0, false, false
			}
		}
	}
	return neg, ip, fracNonZero, true
}

// plainFloat parses a number literal when comparing it as a float64 is
// exact: at most 15 significant digits (so that distinct such decimals
// are distinct float64s, in the same order) and a magnitude far from
// overflow and underflow.
func plainFloat(b []byte) (float64, bool) {
	if len(b) > 32 {
		return 0, false
	}
	digits, expDigits, inExp, leading := 0, 0, false, true
	for _, c := range b {
		switch {
		case c == 'e' || c == 'E':
			inExp = true
		case c >= '0' && c <= '9':
			if inExp {
				expDigits++
			} else if c != '0' || !leading {
				leading = false
				digits++
			}
		}
	}
	if digits > 15 || expDigits > 2 {
		return 0, false
	}
	f, err := strconv.ParseFloat(unsafeString(b), 64)
	return f, err == nil
}

// stringList returns v as a list of strings; ok is false for anything else.
func stringList(v any) (list []string, ok bool) {
	vals, ok := v.([]any)
	if !ok {
		return nil, false
	}
	list = make([]string, 0, len(vals))
	for _, e := range vals {
		s, ok := e.(string)
		if !ok {
			return nil, false
		}
		list = append(list, s)
	}
	return list, true
}

// acyclic reports whether no node reaches itself through allOf, anyOf and oneOf
// alone (without descending into a value), which would never end.
func acyclic(root *fastNode) bool {
	const (
		visiting = 1
		done     = 2
	)
	state := map[*fastNode]int{}
	var visit func(n *fastNode, inline bool) bool
	visit = func(n *fastNode, inline bool) bool {
		switch state[n] {
		case visiting:
			if inline {
				return false
			}
			return true
		case done:
			return true
		}
		state[n] = visiting
		for _, s := range n.allOf {
			if !visit(s, true) {
				return false
			}
		}
		for _, s := range n.anyOf {
			if !visit(s, true) {
				return false
			}
		}
		for _, s := range n.oneOf {
			if !visit(s, true) {
				return false
			}
		}
		state[n] = done
		var kids []*fastNode
		for _, p := range n.props {
			if p.node != nil {
				kids = append(kids, p.node)
			}
		}
		for _, p := range n.patternProps {
			kids = append(kids, p.node)
		}
		kids = append(kids, n.additional, n.items)
		for _, k := range kids {
			if k != nil && !visit(k, false) {
				return false
			}
		}
		return true
	}
	return visit(root, false)
}

// unsafeString views b as a string without copying. The string must not
// outlive a call that leaves b unchanged.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// costFree reports whether the general validator's cost bound for a
// schema never refuses a value for the work it would take (only for its
// depth). Otherwise Compile builds no fast path: it could accept a value
// the general validator refuses as too complex, and its own work could
// grow as fast as the general validator's.
func costFree(m *costModel) bool {
	return m.stable && m.perValue[len(m.perValue)-1] <= StepsPerValue
}

// fastMaxDepth is the deepest nesting of arrays and objects the fast path
// decides; deeper values go to the general validator, which refuses values
// nested deeper than MaxDepth. It also bounds the fast path's recursion.
const fastMaxDepth = 512

// valid reports whether the valid JSON value b certainly satisfies n.
func (n *fastNode) valid(b []byte) bool {
	i := skipWS(b, 0)
	end, ok := n.check(b, i, 0)
	return ok && skipWS(b, end) == len(b)
}

// skipAny returns the index past the value at b[i], which may be
// anything; ok is false when it nests deeper than fastMaxDepth counting
// depth, the nesting it is at.
func skipAny(b []byte, i, depth int) (end int, ok bool) {
	if i >= len(b) {
		return i, false
	}
	if c := b[i]; c != '{' && c != '[' {
		end := jsonscan.SkipValue(b, i)
		return end, end > i // no progress: not a value (data that is not JSON)
	}
	nest := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i, _, _ = scanString(b, i)
			continue
		case '{', '[':
			nest++
			if depth+nest > fastMaxDepth {
				return i, false
			}
		case '}', ']':
			nest--
		}
		i++
		if nest == 0 {
			return i, true
		}
	}
	return i, false
}

func skipWS(b []byte, i int) int {
	if i < len(b) && b[i] > ' ' {
		return i
	}
	for i < len(b) && jsonscan.IsSpace(b[i]) {
		i++
	}
	return i
}

// check checks the value that starts at b[i] and returns the index just
// past it. ok false means "undecided"; end is then meaningless.
func (n *fastNode) check(b []byte, i, depth int) (end int, ok bool) {
	if i >= len(b) {
		return i, false
	}
	if n.any {
		return skipAny(b, i, depth)
	}
	switch c := b[i]; c {
	case '"':
		end, ok = n.checkString(b, i)
	case '{':
		end, ok = n.checkObject(b, i, depth+1)
	case '[':
		end, ok = n.checkArray(b, i, depth+1)
	case 't':
		end, ok = i+4, n.types&tBoolean != 0
	case 'f':
		end, ok = i+5, n.types&tBoolean != 0
	case 'n':
		end, ok = i+4, n.types&tNull != 0
	default:
		end, ok = n.checkNumber(b, i)
	}
	if !ok || end > len(b) {
		return end, false
	}
	if n.enum != nil && !n.inEnum(b[i:end]) {
		return end, false
	}
	for _, s := range n.allOf {
		if e, ok := s.check(b, i, depth); !ok || e != end {
			return end, false
		}
	}
	if n.oneOf != nil {
		// Exactly one branch: the one that certainly holds, while every
		// other certainly fails.
		held := 0
		for _, s := range n.oneOf {
			if e, ok := s.check(b, i, depth); ok && e == end {
				held++
			} else if !s.certainlyFails(b[i:end]) {
				return end, false
			}
		}
		if held != 1 {
			return end, false
		}
	}
	if n.anyOf != nil {
		for _, s := range n.anyOf {
			if e, ok := s.check(b, i, depth); ok && e == end {
				return end, true
			}
		}
		return end, false
	}
	return end, true
}

// certainlyFails reports whether the valid JSON value v certainly does
// not satisfy n, for the reasons that need no deep look: n does not take
// values of v's type (numbers: n takes none), v is a boolean, null or
// plain ASCII string that is none of n's enum values or (a string) breaks
// n's lengths or the pattern table of n.rawDFA, or v is an object that
// lacks a member n requires, every member name of v being written without
// escapes. It is the other half of a oneOf: "false" means "cannot tell".
func (n *fastNode) certainlyFails(v []byte) bool {
	if n.any || len(v) == 0 {
		return false
	}
	var t uint8
	switch v[0] {
	case '{':
		t = tObject
	case '[':
		t = tArray
	case '"':
		t = tString
	case 't', 'f':
		t = tBoolean
	case 'n':
		t = tNull
	default:
		t = tNumber | tInteger // 1.0 is an integer too: only a schema that takes no number surely fails
	}
	if n.types&t == 0 {
		return true
	}
	if n.enum != nil && (t == tBoolean || t == tNull || (t == tString && plainASCII(v))) && !n.inEnum(v) {
		// These are written one way only, as the enum's encodings are.
		return true
	}
	if t == tString && n.strConstrained && plainASCII(v) {
		// Printable ASCII without escapes: as many code points as bytes,
		// and a pattern table that decides both ways
		// (TestFastPath_patternTableExact).
		s := v[1 : len(v)-1]
		if len(s) < n.minLen || (n.maxLen >= 0 && len(s) > n.maxLen) {
			return true
		}
		if d := n.rawDFA; d != nil && d.wide != nil && !matchPlain(d, s) {
			return true
		}
	}
	for _, s := range n.allOf {
		if s.certainlyFails(v) {
			return true
		}
	}
	if t != tObject || n.nRequired == 0 {
		return false
	}
	for _, p := range n.propList {
		if p.required >= 0 && !hasMember(v, p.name) {
			return true
		}
	}
	return false
}

// plainASCII reports whether the string token v is ASCII without escapes:
// then its bytes are the one way encoding/json writes its value.
func plainASCII(v []byte) bool {
	for _, c := range v {
		if c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasMember reports whether the object obj may have a member named name:
// false only when no member has that raw name and none is written with an
// escape (which could spell it).
func hasMember(obj []byte, name string) bool {
	for key := range jsonscan.Members(obj) {
		// An escape, or bytes that are not UTF-8 (decoded as U+FFFD), could
		// spell name.
		if len(key) < 2 || jsonscan.HasEscape(key) || !utf8.Valid(key) || string(key[1:len(key)-1]) == name {
			return true
		}
	}
	return false
}

func (n *fastNode) inEnum(v []byte) bool {
	for _, e := range n.enum {
		if bytes.Equal(e, v) {
			return true
		}
	}
	return false
}

// strSpecial marks the bytes a string scan stops at: the quote, the
// backslash and every byte beyond ASCII.
var strSpecial = func() (t [256]bool) {
	t['"'], t['\\'] = true, true
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	return t
}()

// scanString returns the index past the string at b[i], whether it has
// escapes and whether it has bytes beyond ASCII.
func scanString(b []byte, i int) (end int, escaped, nonASCII bool) {
	for i++; i < len(b); i++ {
		c := b[i]
		if !strSpecial[c] {
			continue
		}
		switch {
		case c == '"':
			return i + 1, escaped, nonASCII
		case c == '\\':
			escaped = true
			i++
		default:
			nonASCII = true
		}
	}
	return len(b) + 1, escaped, nonASCII
}

func (n *fastNode) checkString(b []byte, i int) (int, bool) {
	if d := n.rawDFA; d != nil && n.types&tString != 0 {
		// One pass over a plain ASCII string: scan it and run the pattern's
		// DFA on the same bytes. Anything else takes the general path.
		st, j := 0, i+1
		for j < len(b) && !strSpecial[b[j]] {
			st = int(d.next[st+int(d.class[b[j]])])
			j++
		}
		if l := j - i - 1; j < len(b) && b[j] == '"' && (d.accept[st/d.nclass] || (l == 0 && d.acceptNull)) &&
			l >= n.minLen && (n.maxLen < 0 || l <= n.maxLen) {
			return j + 1, true
		}
	}
	end, escaped, nonASCII := scanString(b, i)
	if n.types&tString == 0 || end > len(b) {
		return end, false
	}
	if !n.strConstrained {
		return end, true
	}
	s := b[i+1 : end-1]
	if escaped || (nonASCII && !utf8.Valid(s)) {
		return end, false // the general validator decodes it
	}
	if n.minLen >= 0 || n.maxLen >= 0 {
		l := len(s)
		if nonASCII {
			l = utf8.RuneCount(s)
		}
		if l < n.minLen || (n.maxLen >= 0 && l > n.maxLen) {
			return end, false
		}
	}
	str := unsafeString(s)
	if n.pattern != nil && !n.pattern.match(str) {
		return end, false
	}
	if n.format != nil && !n.format(str) {
		return end, false
	}
	return end, true
}

// scanNumber returns the index past the number at b[i] and whether it is
// an integer literal (no fraction, no exponent).
func scanNumber(b []byte, i int) (end int, integer bool) {
	integer = true
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case c >= '0' && c <= '9', c == '-', c == '+':
		case c == '.', c == 'e', c == 'E':
			integer = false
		default:
			return i, integer
		}
	}
	return i, integer
}

// plainNumber reads the number literal at b[i] in one pass: its end, its
// sign, its integer part, whether it has a fraction and whether that is
// not zero. ok is false for an exponent or more than 18 integer digits.
func plainNumber(b []byte, i int) (end int, neg bool, ip int64, frac, fracNonZero, ok bool) {
	if i < len(b) && b[i] == '-' {
		neg = true
		i++
	}
	start := i
	for i < len(b) && b[i]-'0' <= 9 {
		ip = ip*10 + int64(b[i]-'0')
		i++
	}
	if i == start || i-start > 18 {
		return i, false, 0, false, false, false
	}
	if i < len(b) && b[i] == '.' {
		frac = true
		for i++; i < len(b) && b[i]-'0' <= 9; i++ {
			fracNonZero = fracNonZero || b[i] != '0'
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		return i, false, 0, false, false, false
	}
	return i, neg, ip, frac, fracNonZero, true
}

// decimalInBounds reports whether the decimal with sign neg, integer part ip
// and a fraction that is non-zero when fracNonZero lies within the node's
// bounds: integer bounds for an integer value (3 or 3.00), otherwise the
// bounds on its floor.
func (n *fastNode) decimalInBounds(neg bool, ip int64, fracNonZero bool) bool {
	if !fracNonZero {
		x := ip
		if neg {
			x = -x
		}
		ib := &n.ints
		return !ib.none && (!ib.hasLo || x >= ib.lo) && (!ib.hasHi || x <= ib.hi)
	}
	floor := ip
	if neg {
		floor = -ip - 1
	}
	fr := &n.fracs
	return (!fr.hasLo || floor >= fr.lo) && (!fr.hasHi || floor < fr.hi)
}

func (n *fastNode) checkNumber(b []byte, i int) (int, bool) {
	if n.numConstrained && n.multipleOf == 0 && !n.fracs.notInt {
		// One pass for the usual literals; the rest below.
		if end, neg, ip, frac, nz, ok := plainNumber(b, i); ok &&
			(n.types&tNumber != 0 || (!frac && n.types&tInteger != 0)) {
			return end, n.decimalInBounds(neg, ip, nz)
		}
	}
	end, integer := scanNumber(b, i)
	if end == i {
		return end, false
	}
	if n.types&tNumber == 0 && (!integer || n.types&tInteger == 0) {
		return end, false // 1.0 is an integer too: the general validator decides
	}
	if !n.numConstrained {
		return end, true
	}
	lit := b[i:end]
	if integer && len(lit) <= 18 {
		var x int64
		neg := lit[0] == '-'
		for _, c := range lit[b2i(neg):] {
			x = x*10 + int64(c-'0')
		}
		if neg {
			x = -x
		}
		ib := &n.ints
		if ib.none || (ib.hasLo && x < ib.lo) || (ib.hasHi && x > ib.hi) {
			return end, false
		}
		if n.multipleOf < 0 || (n.multipleOf > 0 && x%n.multipleOf != 0) {
			return end, false
		}
		return end, true
	}
	if n.multipleOf != 0 {
		return end, false
	}
	if neg, ip, fracNonZero, ok := parseDecimal(lit); ok && !n.fracs.notInt {
		return end, n.decimalInBounds(neg, ip, fracNonZero)
	}
	fb := &n.floats
	if fb.inexact {
		return end, false
	}
	f, exact := plainFloat(lit)
	if !exact {
		return end, false
	}
	ok := (!fb.hasMin || f >= fb.min) && (!fb.hasMax || f <= fb.max) &&
		(!fb.hasEx || f > fb.exMin) && (!fb.hasExMx || f < fb.exMax)
	return end, ok
}

// checkObject checks the object at b[i], at nesting depth (1 for the
// outermost).
func (n *fastNode) checkObject(b []byte, i, depth int) (int, bool) {
	if n.types&tObject == 0 || depth > fastMaxDepth {
		return i, false
	}
	var seen uint64
	count := 0
	i = skipWS(b, i+1)
	next := 0 // the member expected next, in n.order
	for i < len(b) && b[i] == '"' {
		var (
			p    *fastProp
			key  []byte
			kend int
		)
		// Members usually come in the order of the struct they were
		// encoded from, which is the order of "required": try the name
		// expected next in place first, without hashing.
		if next < len(n.order) {
			q := n.order[next]
			if e := i + 1 + len(q.name); e < len(b) && b[e] == '"' && sameName(q.name, b[i+1:e]) {
				p, key, kend = q, b[i+1:e], e+1
			}
		}
		if p == nil {
			var (
				h                 int
				escaped, nonASCII bool
			)
			kend, h, escaped, nonASCII = scanKey(b, i, n.propSeed)
			if escaped || kend > len(b) {
				return kend, false
			}
			key = b[i+1 : kend-1]
			if nonASCII && !utf8.Valid(key) {
				return kend, false // decoded with replacement characters: another name
			}
			if n.propTab != nil {
				if j := n.propTab[h]; j >= 0 && n.propList[j].name == string(key) {
					p = n.propList[j]
				}
			} else if n.props != nil {
				p = n.props[string(key)]
			}
		}
		if p != nil && p.order >= 0 {
			next = p.order + 1
		}
		i = skipWS(b, kend)
		if i >= len(b) || b[i] != ':' {
			return i, false
		}
		i = skipWS(b, i+1)
		vend := -1
		matched := false
		if p != nil {
			if p.required >= 0 {
				seen |= 1 << p.required
			}
			if p.node != nil {
				e, ok := p.node.check(b, i, depth)
				if !ok {
					return e, false
				}
				vend, matched = e, true
			}
		}
		for _, pp := range n.patternProps {
			if pp.re.match(unsafeString(key)) {
				e, ok := pp.node.check(b, i, depth)
				if !ok || (vend >= 0 && e != vend) {
					return e, false
				}
				vend, matched = e, true
			}
		}
		if !matched {
			var ok bool
			if n.additional != nil {
				vend, ok = n.additional.check(b, i, depth)
			} else {
				vend, ok = skipAny(b, i, depth)
			}
			if !ok {
				return vend, false
			}
		}
		if vend <= i {
			return vend, false
		}
		count++
		i = skipWS(b, vend)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
		}
	}
	if i >= len(b) || b[i] != '}' {
		return i, false
	}
	ok := seen == 1<<n.nRequired-1 && (n.maxProps < 0 || count <= n.maxProps)
	return i + 1, ok
}

// checkArray checks the array at b[i], at nesting depth (1 for the
// outermost).
func (n *fastNode) checkArray(b []byte, i, depth int) (int, bool) {
	if n.types&tArray == 0 || depth > fastMaxDepth {
		return i, false
	}
	start := i
	count := 0
	i = skipWS(b, i+1)
	for i < len(b) && b[i] != ']' {
		var (
			e  int
			ok bool
		)
		if n.items != nil {
			e, ok = n.items.check(b, i, depth)
		} else {
			e, ok = skipAny(b, i, depth)
		}
		if !ok || e <= i {
			return e, false
		}
		count++
		i = skipWS(b, e)
		if i < len(b) && b[i] == ',' {
			i = skipWS(b, i+1)
		}
	}
	if i >= len(b) {
		return i, false
	}
	end := i + 1
	if count < n.minItems || (n.maxItems >= 0 && count > n.maxItems) {
		return end, false
	}
	if n.uniqueItems && count > 1 && !distinctElements(b[start:end], count) {
		return end, false
	}
	return end, true
}

// distinctElements reports whether the elements of the array arr are
// certainly distinct: each is a canonical scalar (a string without
// escapes, an integer literal other than -0, true, false or null), so
// distinct bytes mean distinct values, and no two have the same bytes.
func distinctElements(arr []byte, count int) bool {
	if count <= 32 {
		var elems [32][]byte
		k := 0
		for e := range jsonscan.Elements(arr) {
			if !canonicalScalar(e) {
				return false
			}
			for _, prev := range elems[:k] {
				if bytes.Equal(prev, e) {
					return false
				}
			}
			elems[k] = e
			k++
		}
		return true
	}
	hashes := make([]uint64, 0, count) // the one allocation, for long arrays only
	for e := range jsonscan.Elements(arr) {
		if !canonicalScalar(e) {
			return false
		}
		hashes = append(hashes, fnv64(e))
	}
	slices.Sort(hashes)
	for i := 1; i < len(hashes); i++ {
		if hashes[i] == hashes[i-1] {
			return false // equal, or a collision: the general validator decides
		}
	}
	return true
}

func canonicalScalar(e []byte) bool {
	if len(e) == 0 {
		return false
	}
	switch c := e[0]; {
	case c == '"':
		return !jsonscan.HasEscape(e)
	case c == 't' || c == 'f' || c == 'n':
		return true
	case c == '-' || (c >= '0' && c <= '9'):
		if string(e) == "-0" {
			return false
		}
		for _, d := range e[1:] {
			if d < '0' || d > '9' {
				return false
			}
		}
		return true
	}
	return false
}

func fnv64(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h
}
