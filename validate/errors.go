package validate

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// A Violation is one way in which a JSON value breaks its schema.
type Violation struct {
	// Pointer is the RFC 6901 JSON pointer of the offending value: "" for
	// the whole value, "/email" for its "email" member. For a missing
	// required property and for an unexpected property it points at that
	// property.
	Pointer string `json:"pointer"`
	// Keyword is the JSON Schema keyword that failed, such as "required",
	// "additionalProperties", "type", "format", "minLength", "pattern",
	// "minimum" or "enum". A boolean false schema reports "false".
	Keyword string `json:"keyword"`
	// Message describes the violation for people.
	Message string `json:"message"`
}

// Error is the error returned for an invalid value. It lists at most one
// violation per JSON pointer, sorted by pointer.
type Error struct {
	// Violations are the violations found, never empty.
	Violations []Violation
}

// Error returns the violations as "pointer: keyword: message" joined with
// "; ". The whole value is shown as "(root)".
func (e *Error) Error() string {
	var b strings.Builder
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		p := v.Pointer
		if p == "" {
			p = "(root)"
		}
		b.WriteString(p)
		b.WriteString(": ")
		b.WriteString(v.Keyword)
		b.WriteString(": ")
		b.WriteString(v.Message)
	}
	return b.String()
}

// newError flattens the tree of ve to one violation per instance location.
func newError(ve *jsonschema.ValidationError, instance any) *Error {
	vs := flatten(ve, instance)
	slices.SortStableFunc(vs, func(a, b Violation) int {
		return cmp.Or(strings.Compare(a.Pointer, b.Pointer), cmp.Compare(rank(a.Keyword), rank(b.Keyword)))
	})
	vs = slices.CompactFunc(vs, func(a, b Violation) bool { return a.Pointer == b.Pointer })
	if len(vs) == 0 { // cannot happen: every failure has a leaf
		vs = []Violation{{Pointer: pointer(ve.InstanceLocation), Keyword: keyword(ve), Message: ve.Message}}
	}
	return &Error{Violations: vs}
}

// keywordRank orders the keywords that can fail at the same location, most
// useful first; only the first is reported.
var keywordRank = map[string]int{
	"required":             0,
	"additionalProperties": 1,
	"false":                2,
	"type":                 3,
	"const":                4,
	"enum":                 5,
	"minLength":            6,
	"maxLength":            7,
	"format":               8,
	"pattern":              9,
}

func rank(kw string) int {
	if r, ok := keywordRank[kw]; ok {
		return r
	}
	return len(keywordRank)
}

// flatten returns the leaf violations under ve. Of the branches of a failed
// oneOf or anyOf it keeps only the one that came closest to matching.
func flatten(ve *jsonschema.ValidationError, instance any) []Violation {
	if len(ve.Causes) == 0 {
		return leaf(ve, instance)
	}
	switch {
	case keyword(ve) == "minContains":
		return leaf(ve, instance)
	case ve.Message == "oneOf failed", ve.Message == "anyOf failed":
		return bestBranch(ve, instance)
	}
	var vs []Violation
	for _, c := range ve.Causes {
		vs = append(vs, flatten(c, instance)...)
	}
	return vs
}

// bestBranch returns the violations of the branch of a failed oneOf or
// anyOf that got furthest: the one whose violations lie deepest, then the
// one that at least had the right type, then the one with fewest
// violations, then the first.
func bestBranch(ve *jsonschema.ValidationError, instance any) []Violation {
	base := pointer(ve.InstanceLocation)
	type score struct{ depth, wrongType, n int }
	better := func(a, b score) bool {
		if a.depth != b.depth {
			return a.depth > b.depth
		}
		if a.wrongType != b.wrongType {
			return a.wrongType < b.wrongType
		}
		return a.n < b.n
	}
	var best []Violation
	var bestScore score
	for i, c := range ve.Causes {
		vs := flatten(c, instance)
		s := score{n: len(vs)}
		for _, v := range vs {
			s.depth = max(s.depth, strings.Count(v.Pointer, "/"))
			if v.Pointer == base && v.Keyword == "type" {
				s.wrongType = 1
			}
		}
		if i == 0 || better(s, bestScore) {
			best, bestScore = vs, s
		}
	}
	return best
}

// leaf turns a validation error without causes into violations: one per
// property for "required" and "additionalProperties", one otherwise.
func leaf(ve *jsonschema.ValidationError, instance any) []Violation {
	ptr := pointer(ve.InstanceLocation)
	kw := keyword(ve)
	switch kw {
	case "required":
		if names, ok := parseQuotedList(strings.TrimPrefix(ve.Message, "missing properties: ")); ok {
			vs := make([]Violation, len(names))
			for i, name := range names {
				vs[i] = Violation{ptr + "/" + escapeToken(name), kw, fmt.Sprintf("missing required property %q", name)}
			}
			return vs
		}
	case "additionalProperties":
		list, ok := strings.CutPrefix(ve.Message, "additionalProperties ")
		list, ok2 := strings.CutSuffix(list, " not allowed")
		if names, ok3 := parseQuotedList(list); ok && ok2 && ok3 {
			vs := make([]Violation, len(names))
			for i, name := range names {
				vs[i] = Violation{ptr + "/" + escapeToken(name), kw, fmt.Sprintf("property %q is not allowed", name)}
			}
			return vs
		}
	case "format":
		_, format, ok := strings.Cut(ve.Message, " is not valid ")
		names, ok2 := parseQuotedList(format)
		if s, ok3 := lookup(instance, ptr).(string); ok && ok2 && ok3 && len(names) == 1 {
			return []Violation{{ptr, kw, fmt.Sprintf("%q is not valid %s", s, names[0])}}
		}
	}
	return []Violation{{ptr, kw, ve.Message}}
}

// keyword returns the keyword that produced ve, from its keyword location.
func keyword(ve *jsonschema.ValidationError) string {
	if ve.Message == "not allowed" { // a false schema
		return "false"
	}
	segs := strings.Split(ve.KeywordLocation, "/")
	n := len(segs)
	if n >= 3 && (segs[n-3] == "dependentRequired" || segs[n-3] == "dependencies") {
		if _, err := strconv.Atoi(segs[n-1]); err == nil {
			return segs[n-3]
		}
	}
	return segs[n-1]
}

// pointer converts an instance location of the validator, whose tokens are
// URL-path-escaped, to an RFC 6901 JSON pointer.
func pointer(loc string) string {
	if !strings.Contains(loc, "%") {
		return loc
	}
	segs := strings.Split(loc, "/")
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			segs[i] = u
		}
	}
	return strings.Join(segs, "/")
}

// escapeToken escapes a property name as an RFC 6901 reference token.
func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// lookup returns the value at JSON pointer ptr in v, or nil.
func lookup(v any, ptr string) any {
	if ptr == "" {
		return v
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// parseQuotedList parses the validator's rendering of names: single-quoted
// Go-style strings (with \' for a quote) separated by ", ".
func parseQuotedList(s string) ([]string, bool) {
	var names []string
	for len(s) > 0 {
		if s[0] != '\'' {
			return nil, false
		}
		var buf strings.Builder
		buf.WriteByte('"')
		i := 1
		for ; i < len(s) && s[i] != '\''; i++ {
			switch c := s[i]; {
			case c == '\\' && i+1 < len(s):
				if s[i+1] == '\'' {
					buf.WriteByte('\'')
				} else {
					buf.WriteByte('\\')
					buf.WriteByte(s[i+1])
				}
				i++
			case c == '"':
				buf.WriteString(`\"`)
			default:
				buf.WriteByte(c)
			}
		}
		if i >= len(s) {
			return nil, false
		}
		buf.WriteByte('"')
		name, err := strconv.Unquote(buf.String())
		if err != nil {
			return nil, false
		}
		names = append(names, name)
		s = s[i+1:]
		if len(s) > 0 {
			var ok bool
			if s, ok = strings.CutPrefix(s, ", "); !ok {
				return nil, false
			}
		}
	}
	return names, len(names) > 0
}
