package validate

import (
	"cmp"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
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
func newError(ve *jsonschema.ValidationError) *Error {
	fixPropertyNames(ve)
	fs := flatten(ve)
	vs := make([]Violation, len(fs))
	for i, f := range fs {
		vs[i] = Violation{Pointer: pointer(f.loc), Keyword: f.keyword, Message: f.message}
	}
	slices.SortStableFunc(vs, func(a, b Violation) int {
		return cmp.Or(strings.Compare(a.Pointer, b.Pointer), cmp.Compare(rank(a.Keyword), rank(b.Keyword)))
	})
	vs = slices.CompactFunc(vs, func(a, b Violation) bool { return a.Pointer == b.Pointer })
	if len(vs) == 0 { // cannot happen: every failure has a leaf
		vs = []Violation{{Pointer: pointer(ve.InstanceLocation), Keyword: keyword(ve.ErrorKind), Message: message(ve.ErrorKind)}}
	}
	return &Error{Violations: vs}
}

// A found is a violation whose pointer is not built yet: flatten looks at
// every branch of deep trees, and building each pointer there would cost
// time quadratic in the depth.
type found struct {
	loc              []string // instance location, as tokens
	keyword, message string
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
func flatten(ve *jsonschema.ValidationError) []found {
	switch k := ve.ErrorKind.(type) {
	case *kind.AnyOf:
		return bestBranch(ve)
	case *kind.OneOf:
		if len(k.Subschemas) == 0 {
			return bestBranch(ve)
		}
	case *kind.Schema, *kind.Group, *kind.Reference, *kind.AllOf:
		var fs []found
		for _, c := range ve.Causes {
			fs = append(fs, flatten(c)...)
		}
		if len(fs) > 0 {
			return fs
		}
	}
	return leaf(ve)
}

// fixPropertyNames repairs the location of each propertyNames failure
// under ve. The validator (jsonschema v6.0.3) leaves it a view of its own
// location buffer, which it overwrites later: a failure under "/a" came
// out at "/b" when a sibling "b" was checked after it, and a bad
// patternProperties key at "/type/[z-a]". The right location is that of
// the error it is a cause of (the same value), or one member below it
// when the propertyNames keyword sits under "properties" of a member
// (the validator reports those to the parent of that member).
func fixPropertyNames(ve *jsonschema.ValidationError) {
	for _, c := range ve.Causes {
		if _, ok := c.ErrorKind.(*kind.PropertyNames); ok {
			base := ve.InstanceLocation
			switch {
			case len(c.InstanceLocation) == len(base):
				c.InstanceLocation = slices.Clone(base)
			case len(c.InstanceLocation) == len(base)+1:
				_, frag, _ := strings.Cut(c.SchemaURL, "#")
				toks := strings.Split(frag, "/")
				if n := len(toks); n >= 3 && toks[n-1] == "propertyNames" && toks[n-3] == "properties" {
					if name, err := jsonptr.Unescape(toks[n-2]); err == nil {
						c.InstanceLocation = append(slices.Clone(base), name)
					}
				}
			}
		}
		fixPropertyNames(c)
	}
}

// bestBranch returns the violations of the branch of a failed oneOf or
// anyOf that got furthest: the one whose violations lie deepest, then the
// one that at least had the right type, then the one with fewest
// violations, then the first.
func bestBranch(ve *jsonschema.ValidationError) []found {
	base := len(ve.InstanceLocation)
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
	var best []found
	var bestScore score
	for i, c := range ve.Causes {
		fs := flatten(c)
		s := score{n: len(fs)}
		for _, f := range fs {
			s.depth = max(s.depth, len(f.loc))
			if len(f.loc) == base && f.keyword == "type" {
				s.wrongType = 1
			}
		}
		if i == 0 || better(s, bestScore) {
			best, bestScore = fs, s
		}
	}
	if len(best) == 0 {
		return leaf(ve)
	}
	return best
}

// leaf turns a validation error into violations: one per property for
// "required" and "additionalProperties", one otherwise.
func leaf(ve *jsonschema.ValidationError) []found {
	loc := ve.InstanceLocation
	member := func(name string) []string { return append(slices.Clip(loc), name) }
	switch k := ve.ErrorKind.(type) {
	case *kind.Required:
		fs := make([]found, len(k.Missing))
		for i, name := range k.Missing {
			fs[i] = found{member(name), "required", "missing required property " + quote(name)}
		}
		return fs
	case *kind.PropertyNames:
		// At the property; the message says what is wrong with its name.
		f := found{member(k.Property), "propertyNames", message(k)}
		for _, c := range ve.Causes {
			if cs := flatten(c); len(cs) > 0 {
				f.message = "invalid property name: " + cs[0].message
				break
			}
		}
		return []found{f}
	case *kind.AdditionalProperties:
		fs := make([]found, len(k.Properties))
		for i, name := range k.Properties {
			fs[i] = found{member(name), "additionalProperties", "property " + quote(name) + " is not allowed"}
		}
		return fs
	}
	return []found{{loc, keyword(ve.ErrorKind), message(ve.ErrorKind)}}
}

// keyword returns the keyword of an error kind.
func keyword(k jsonschema.ErrorKind) string {
	switch k.(type) {
	case *kind.FalseSchema:
		return "false"
	case *kind.Dependency:
		return "dependencies"
	}
	if path := k.KeywordPath(); len(path) > 0 {
		return path[0]
	}
	return "schema"
}

// pointer converts an instance location to an RFC 6901 JSON pointer.
func pointer(loc []string) string { return jsonptr.Append("", loc...) }

// escapeToken escapes a property name as an RFC 6901 reference token.
func escapeToken(s string) string { return jsonptr.Escape(s) }
