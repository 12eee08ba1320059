package lint

import (
	"strconv"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
)

// maxExampleSteps bounds the schema evaluations that checking one example
// value may take. A JSON Schema validator evaluates every branch of
// anyOf, oneOf and allOf at the same instance location, so schemas that
// chain such branches through references ("anyOf": [{"$ref": next},
// {"$ref": next}]) take time exponential in their depth: 2^18 evaluations
// for a 2.3 KB document. Past the bound the example is reported as too
// complex to check instead of being checked.
const maxExampleSteps = 1 << 14

// inPlace are the keywords whose subschemas apply to the instance itself.
var inPlace = []string{"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas"}

// exampleSteps estimates the evaluations a validator makes to check value
// against schema (which lies in file), saturating at maxExampleSteps. It
// walks the schema and the value together and remembers the count of each
// (schema location, value location) pair, so the estimate itself takes
// time polynomial in the sizes of both.
func (c *checker) exampleSteps(schema any, file string, value any) int {
	e := &estimator{c: c, memo: map[string]int{}, active: map[string]bool{}}
	return e.steps(schema, jsonptr.Location{File: file, Pointer: "(root)"}, value, "")
}

type estimator struct {
	c      *checker
	memo   map[string]int
	active map[string]bool // pairs being counted: a cycle at one instance location
}

func (e *estimator) steps(schema any, at jsonptr.Location, value any, vptr string) int {
	s, ok := schema.(map[string]any)
	if !ok {
		return 1
	}
	key := at.String() + "\x00" + vptr
	if n, ok := e.memo[key]; ok {
		return n
	}
	if e.active[key] {
		return 1 // the validator stops such a loop itself
	}
	e.active[key] = true
	defer delete(e.active, key)

	n := 1
	add := func(m int) { n = min(n+m, maxExampleSteps) }
	if ref, ok := s["$ref"].(string); ok {
		if target, loc, err := e.c.refs.Lookup(at.File, ref); err == nil {
			add(e.steps(target, loc, value, vptr))
		}
	}
	for _, kw := range inPlace {
		switch sub := s[kw].(type) {
		case []any:
			for i, x := range sub {
				add(e.steps(x, child(at, kw, strconv.Itoa(i)), value, vptr))
			}
		case map[string]any:
			if kw == "dependentSchemas" {
				for k, x := range sub {
					add(e.steps(x, child(at, kw, k), value, vptr))
				}
			} else {
				add(e.steps(sub, child(at, kw), value, vptr))
			}
		}
	}
	switch v := value.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		for k, x := range v {
			if ps, ok := props[k]; ok {
				add(e.steps(ps, child(at, "properties", k), x, jsonptr.Append(vptr, k)))
			} else if ap, ok := s["additionalProperties"]; ok {
				add(e.steps(ap, child(at, "additionalProperties"), x, jsonptr.Append(vptr, k)))
			}
		}
	case []any:
		for i, x := range v {
			if prefix, _ := s["prefixItems"].([]any); i < len(prefix) {
				add(e.steps(prefix[i], child(at, "prefixItems", strconv.Itoa(i)), x, jsonptr.Append(vptr, strconv.Itoa(i))))
			} else if items, ok := s["items"]; ok {
				add(e.steps(items, child(at, "items"), x, jsonptr.Append(vptr, strconv.Itoa(i))))
			}
		}
	}
	e.memo[key] = n
	return n
}

// child returns the location of a subschema of the schema at loc.
func child(loc jsonptr.Location, names ...string) jsonptr.Location {
	loc.Pointer = jsonptr.Append(loc.Pointer, names...)
	return loc
}
