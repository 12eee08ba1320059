package validate

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/schemarpc/schemarpc/internal/ecmaregex"
	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// The fast path.
//
// Most params schemas are flat objects of scalars with simple constraints
// (the kind reflected from a Go struct of strings and numbers). For such a
// schema, Compile also builds a fastNode tree that checks raw JSON bytes in
// place, without decoding them into maps and interfaces. The fast check is
// one-sided: it answers "certainly valid" or "undecided", never "invalid".
// Only "certainly valid" skips the full validator; anything else — a
// failing value, an escaped string, a number too long for exact float
// comparison — goes through the full validator, which also produces the
// violation details. So the fast path can change how long validation takes,
// never its outcome or its messages, provided it only answers "certainly
// valid" for instances the full validator accepts. It uses the same format
// checkers (formatCheck) and the same regexp engine as the full
// validator, and the differential tests and fuzz target in fast_test.go
// hold it to that.

type fastKind uint8

const (
	fastString fastKind = iota + 1
	fastInteger
	fastNumber
	fastBoolean
	fastNull
	fastObject
)

type fastNode struct {
	kind     fastKind
	nullable bool // null is accepted too

	// strings
	minLen, maxLen int // -1 when unset
	pattern        *ecmaregex.Regexp
	format         func(any) bool
	enum           []string

	// numbers
	min, max, exMin, exMax float64
	hasMin, hasMax         bool
	hasExMin, hasExMax     bool

	// objects
	props    map[string]*fastNode
	required []string
	closed   bool // additionalProperties: false
}

// annotations are keywords that never affect validation.
var annotations = map[string]bool{
	"title": true, "description": true, "default": true, "examples": true,
	"deprecated": true, "readOnly": true, "writeOnly": true, "$comment": true,
}

// buildFast returns the fast checker of schema, or nil when the schema uses
// anything beyond the supported subset.
func buildFast(schema any, root bool) *fastNode {
	m, ok := schema.(map[string]any)
	if !ok {
		return nil
	}
	if alts, ok := m["anyOf"].([]any); ok {
		return buildNullable(m, alts)
	}
	t, _ := m["type"].(string)
	n := &fastNode{minLen: -1, maxLen: -1}
	switch t {
	case "string":
		n.kind = fastString
	case "integer":
		n.kind = fastInteger
	case "number":
		n.kind = fastNumber
	case "boolean":
		n.kind = fastBoolean
	case "null":
		n.kind = fastNull
	case "object":
		n.kind = fastObject
	default:
		return nil
	}
	for k, v := range m {
		if annotations[k] || k == "type" || (root && k == "components") {
			continue
		}
		if !n.keyword(k, v) {
			return nil
		}
	}
	return n
}

// buildNullable handles {"anyOf": [S, {"type": "null"}]} (in either
// order, annotations aside): the form the schema package gives pointer
// fields.
func buildNullable(m map[string]any, alts []any) *fastNode {
	for k := range m {
		if k != "anyOf" && !annotations[k] {
			return nil
		}
	}
	if len(alts) != 2 {
		return nil
	}
	for i, alt := range alts {
		if a, ok := alt.(map[string]any); ok && len(a) == 1 && a["type"] == "null" {
			n := buildFast(alts[1-i], false)
			if n == nil {
				return nil
			}
			n.nullable = true
			return n
		}
	}
	return nil
}

// keyword records one keyword; false means it is outside the subset.
func (n *fastNode) keyword(k string, v any) bool {
	switch n.kind {
	case fastString:
		switch k {
		case "minLength":
			return setInt(&n.minLen, v)
		case "maxLength":
			return setInt(&n.maxLen, v)
		case "pattern":
			s, ok := v.(string)
			if !ok {
				return false
			}
			re, err := ecmaregex.Compile(s)
			if err != nil {
				return false
			}
			n.pattern = re
			return true
		case "format":
			s, ok := v.(string)
			if !ok {
				return false
			}
			f := formatCheck(s)
			if f == nil {
				return false
			}
			n.format = f
			return true
		case "enum":
			var ok bool
			n.enum, ok = stringList(v)
			return ok
		}
	case fastInteger, fastNumber:
		switch k {
		case "minimum":
			return setFloat(&n.min, &n.hasMin, v)
		case "maximum":
			return setFloat(&n.max, &n.hasMax, v)
		case "exclusiveMinimum":
			return setFloat(&n.exMin, &n.hasExMin, v)
		case "exclusiveMaximum":
			return setFloat(&n.exMax, &n.hasExMax, v)
		}
	case fastObject:
		switch k {
		case "properties":
			props, ok := v.(map[string]any)
			if !ok {
				return false
			}
			n.props = make(map[string]*fastNode, len(props))
			for name, ps := range props {
				child := buildFast(ps, false)
				if child == nil {
					return false
				}
				n.props[name] = child
			}
			return true
		case "required":
			var ok bool
			n.required, ok = stringList(v)
			return ok
		case "additionalProperties":
			b, ok := v.(bool)
			if !ok {
				return false
			}
			n.closed = !b
			return true
		}
	}
	return false
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

func setInt(dst *int, v any) bool {
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

func setFloat(dst *float64, has *bool, v any) bool {
	num, ok := v.(json.Number)
	if !ok || len(num) > 15 {
		return false
	}
	f, err := strconv.ParseFloat(string(num), 64)
	if err != nil {
		return false
	}
	*dst, *has = f, true
	return true
}

// valid reports whether the valid JSON value b certainly satisfies n.
func (n *fastNode) valid(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	if n.nullable && string(b) == "null" {
		return true
	}
	switch n.kind {
	case fastString:
		return n.validString(b)
	case fastInteger:
		if !isPlainNumber(b, false) {
			return false
		}
		return n.validNumber(b)
	case fastNumber:
		if !isPlainNumber(b, true) {
			return false
		}
		return n.validNumber(b)
	case fastBoolean:
		return string(b) == "true" || string(b) == "false"
	case fastNull:
		return string(b) == "null"
	case fastObject:
		return n.validObject(b)
	}
	return false
}

func (n *fastNode) validString(b []byte) bool {
	if b[0] != '"' || jsonscan.HasEscape(b) {
		return false // escaped strings take the full path
	}
	s := b[1 : len(b)-1]
	if n.minLen >= 0 || n.maxLen >= 0 {
		l := utf8.RuneCount(s)
		if (n.minLen >= 0 && l < n.minLen) || (n.maxLen >= 0 && l > n.maxLen) {
			return false
		}
	}
	if n.pattern != nil && !n.pattern.Match(s) {
		return false
	}
	if n.format != nil && !n.format(string(s)) {
		return false
	}
	if n.enum != nil {
		for _, e := range n.enum {
			if e == string(s) {
				return true
			}
		}
		return false
	}
	return true
}

// isPlainNumber reports whether b is a number short enough to compare
// exactly as a float64; integers must have no fraction or exponent.
func isPlainNumber(b []byte, fraction bool) bool {
	if len(b) > 15 {
		return false
	}
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
		case c == '-' && i == 0:
		case fraction && (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'):
		default:
			return false
		}
	}
	return true
}

func (n *fastNode) validNumber(b []byte) bool {
	if !n.hasMin && !n.hasMax && !n.hasExMin && !n.hasExMax {
		return true
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return false
	}
	return (!n.hasMin || f >= n.min) && (!n.hasMax || f <= n.max) &&
		(!n.hasExMin || f > n.exMin) && (!n.hasExMax || f < n.exMax)
}

func (n *fastNode) validObject(b []byte) bool {
	if b[0] != '{' {
		return false
	}
	var seen uint64 // bit i: required[i] present (up to 64 required names)
	if len(n.required) > 64 {
		return false
	}
	for rawKey, val := range jsonscan.Members(b) {
		if jsonscan.HasEscape(rawKey) {
			return false
		}
		key := rawKey[1 : len(rawKey)-1]
		child, ok := n.props[string(key)]
		if !ok {
			if n.closed {
				return false
			}
			continue
		}
		if !child.valid(val) {
			return false
		}
		for i, r := range n.required {
			if r == string(key) {
				seen |= 1 << i
			}
		}
	}
	return seen == 1<<len(n.required)-1
}
