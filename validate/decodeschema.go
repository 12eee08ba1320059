package validate

import (
	"math"
	"unicode/utf8"

	"github.com/schemarpc/schemarpc/internal/fastdecode"
)

// The fast checker as a schema that a decoder checks while it decodes (see
// fastdecode.Checked): the decoder's walk matches the members, counts the
// elements and sees which required members are present, and the fast
// checker decides the rest. Each method below hands the decoder only what
// the fast checker's own check would decide the same way, so a value the
// decoder accepts is one the fast checker accepts, and so the general
// validator too.

func init() {
	fastdecode.SchemaOf = func(v any) fastdecode.Schema {
		if v, ok := v.(*Validator); ok && v.fast != nil {
			return v.fast
		}
		return nil
	}
}

// Check checks the whole value at b[i] as the fast path does.
func (n *fastNode) Check(b []byte, i, depth int) (int, bool) { return n.check(b, i, depth) }

// Token returns the check of a scalar token: the number checker itself
// when nothing else applies to n, else the whole check.
func (n *fastNode) Token() func(tok []byte) bool {
	if n.any {
		return func([]byte) bool { return true }
	}
	if n.enum == nil && n.allOf == nil && n.anyOf == nil && n.oneOf == nil && n.types&^(tObject|tArray) == tNumber|tInteger {
		return func(tok []byte) bool { e, ok := n.checkNumber(tok, 0); return ok && e == len(tok) }
	}
	return func(tok []byte) bool { e, ok := n.check(tok, 0, 0); return ok && e == len(tok) }
}

// Strings returns the check of a decoded string, when n decides strings
// by its string keywords alone (its own, or those of the one branch of a
// nullable anyOf that takes strings).
func (n *fastNode) Strings() (func(s string) bool, bool) {
	e := n.branch(tString)
	switch {
	case e == nil:
		return nil, false
	case e.any || !e.strConstrained:
		return nil, true
	}
	return e.stringOK, true
}

// stringOK reports whether the string s, decoded (so valid UTF-8), certainly
// satisfies n's string keywords, with the same checkers as checkString.
func (n *fastNode) stringOK(s string) bool {
	// Lengths count code points: no fewer than a quarter of the bytes,
	// no more than the bytes. Count them only when that does not settle it.
	if l := len(s); l < n.minLen {
		return false
	} else if (n.maxLen >= 0 && l > n.maxLen) || n.minLen > (l+3)/4 {
		if r := utf8.RuneCountInString(s); r < n.minLen || (n.maxLen >= 0 && r > n.maxLen) {
			return false
		}
	}
	if d := n.rawDFA; d != nil && d.wide != nil && matchPlain(d, s) {
		return true // the pattern is the only other keyword
	}
	// Not matched by the table (a quote, a backslash or a byte beyond
	// ASCII stops it), or no table: the pattern's own matcher decides.
	if n.pattern != nil && !n.pattern.match(s) {
		return false
	}
	return n.format == nil || n.format(s)
}

// MaxDepth is the fast path's nesting limit.
func (n *fastNode) MaxDepth() int { return fastMaxDepth }

// Integers returns the range of integer literals n accepts, when n decides
// integers by their range alone (itself, or through the one branch of a
// nullable anyOf that takes them).
func (n *fastNode) Integers() (lo, hi int64, ok bool) {
	e := n.branch(tInteger)
	switch {
	case e == nil:
		return 0, 0, false
	case e.any || !e.numConstrained:
		return math.MinInt64, math.MaxInt64, true
	}
	ib := &e.ints
	switch {
	case e.multipleOf != 0:
		return 0, 0, false
	case ib.none:
		return 1, 0, true
	}
	lo, hi = math.MinInt64, math.MaxInt64
	if ib.hasLo {
		lo = ib.lo
	}
	if ib.hasHi {
		hi = ib.hi
	}
	return lo, hi, true
}

// Floats returns the open interval of numbers n accepts whatever their
// form, when n (or the one branch of a nullable anyOf that takes numbers)
// decides numbers by float64 bounds alone: every bound is a float64, so a
// number whose nearest float64 lies strictly inside them is itself inside
// them.
func (n *fastNode) Floats() (lo, hi float64, ok bool) {
	e := n.branch(tNumber)
	if e == nil {
		return 0, 0, false
	}
	lo, hi = math.Inf(-1), math.Inf(1)
	if e.any || !e.numConstrained {
		return lo, hi, true
	}
	fb := &e.floats
	if fb.inexact || e.multipleOf != 0 {
		return 0, 0, false
	}
	if fb.hasMin {
		lo = fb.min
	}
	if fb.hasEx {
		lo = max(lo, fb.exMin)
	}
	if fb.hasMax {
		hi = fb.max
	}
	if fb.hasExMx {
		hi = min(hi, fb.exMax)
	}
	return lo, hi, true
}

// Members returns how n checks objects member by member.
func (n *fastNode) Members() *fastdecode.Members {
	e := n.branch(tObject)
	switch {
	case e == nil || e.patternProps != nil:
		return nil
	case e.any:
		return &fastdecode.Members{Member: anyMember, AnyName: true, Max: -1}
	}
	m := &fastdecode.Members{Max: e.maxProps, AnyName: len(e.props) == 0 && e.nRequired == 0}
	for _, p := range e.propList {
		if p.required >= 0 {
			m.Required = append(m.Required, p.name)
		}
	}
	m.Member = func(name string) fastdecode.Schema {
		if p := e.props[name]; p != nil && p.node != nil {
			return p.node
		}
		if e.additional != nil {
			return e.additional
		}
		return anyNode
	}
	return m
}

func anyMember(string) fastdecode.Schema { return anyNode }

// Elements returns how n checks arrays element by element.
func (n *fastNode) Elements() *fastdecode.Elements {
	e := n.branch(tArray)
	switch {
	case e == nil || e.uniqueItems:
		return nil
	case e.any:
		return &fastdecode.Elements{Items: anyNode, Max: -1}
	}
	items := e.items
	if items == nil {
		items = anyNode
	}
	return &fastdecode.Elements{Items: items, Min: e.minItems, Max: e.maxItems}
}

// branch returns the node whose own keywords give n's verdict on every
// value of the type t (tObject, tArray, tString, tInteger for integer
// literals, tNumber for any number): n itself, or the one branch of a
// nullable anyOf that takes such values. It is nil when no single node
// does (an enum, an allOf or a oneOf, several branches, keywords of n's
// own besides the anyOf).
func (n *fastNode) branch(t uint8) *fastNode {
	if n.any {
		return n
	}
	if n.types&t == 0 || n.enum != nil || n.allOf != nil || n.oneOf != nil {
		return nil
	}
	if n.anyOf == nil {
		return n
	}
	if n.ownKeywords(t) {
		return nil
	}
	var only *fastNode
	for _, s := range n.anyOf {
		if s.any || s.types&t != 0 {
			if only != nil {
				return nil
			}
			only = s
		}
	}
	if only == nil {
		return nil
	}
	return only.branch(t)
}

// ownKeywords reports whether n has keywords of its own for values of the
// type t (see branch).
func (n *fastNode) ownKeywords(t uint8) bool {
	switch t {
	case tObject:
		return n.props != nil || n.patternProps != nil || n.additional != nil || n.maxProps >= 0 || n.nRequired > 0
	case tArray:
		return n.items != nil || n.minItems > 0 || n.maxItems >= 0 || n.uniqueItems
	case tString:
		return n.strConstrained
	}
	return n.numConstrained
}
