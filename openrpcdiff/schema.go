package openrpcdiff

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
)

// A src is a raw schema where it lies.
type src struct {
	v    any
	file string
	ptr  string
}

func (s src) loc() Location { return Location{File: s.file, Pointer: s.ptr} }

// A flat is the conjunction of some schemas ($refs followed, allOf
// merged), as far as diff models JSON Schema.
type flat struct {
	key        string
	loc        Location
	name       string // the component a $ref named, for pairing branches
	unresolved string // a $ref that does not resolve
	types      map[string]bool
	typesLoc   Location
	enum       map[string]string // canonical JSON → as written
	enumLoc    Location
	props      map[string][]src
	propOrder  []string
	required   map[string]bool
	addl       []src // additionalProperties schemas; none: any
	addlFalse  bool
	items      []src
	limits     map[string]limit
	strs       map[string]limitStr // pattern, format, multipleOf
	unique     bool
	other      map[string]string // keywords diff does not model: canonical JSON
	otherLoc   map[string]Location
	union      string // "oneOf" or "anyOf": the union split into branches
	unionID    string // where that union is: "LOCATION|KEYWORD"
	branches   []src  // its branches
	srcs       []src  // the conjunction flattened
	drops      string // unions left out of it ("\n"-separated IDs): their branches are compared one by one
}

type limit struct {
	v   *big.Rat
	raw string
	loc Location
}

type limitStr struct {
	v   string
	loc Location
}

// lower and upper bounds: a higher lower bound or a lower upper bound
// narrows.
var lowerBounds = []string{"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"}
var upperBounds = []string{"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"}

// annotations are keywords that do not constrain values.
var annotations = map[string]bool{
	"title": true, "description": true, "examples": true, "example": true, "default": true,
	"$comment": true, "deprecated": true, "readOnly": true, "writeOnly": true, "$id": true,
	"$schema": true, "$anchor": true, "$defs": true, "definitions": true, "$dynamicAnchor": true,
	"contentSchema": true, "summary": true, "name": true, "externalDocs": true,
}

// modeled are the keywords compared one by one.
var modeled = map[string]bool{
	"type": true, "enum": true, "const": true, "properties": true, "required": true,
	"additionalProperties": true, "items": true, "allOf": true, "oneOf": true, "anyOf": true,
	"$ref": true, "pattern": true, "format": true, "multipleOf": true, "uniqueItems": true,
}

func init() {
	for _, k := range lowerBounds {
		modeled[k] = true
	}
	for _, k := range upperBounds {
		modeled[k] = true
	}
}

// maxParts bounds the schemas one conjunction gathers.
const maxParts = 256

// flatten merges the conjunction of srcs in document d.
func (c *comparer) flatten(d *Document, srcs []src, drops string) *flat {
	keys := make([]string, len(srcs))
	for i, s := range srcs {
		keys[i] = s.loc().String()
	}
	key := strings.Join(keys, "&") + "\n" + drops
	cache := c.cacheFor(d)
	if f, ok := cache[key]; ok {
		return f
	}
	f := &flat{key: key, loc: srcs[0].loc(), limits: map[string]limit{}, strs: map[string]limitStr{}, srcs: srcs, drops: drops}
	cache[key] = f
	if ref, ok := pureRefOrSchemaRef(srcs[len(srcs)-1].v); ok {
		f.name = refName(ref) // the branch a conjunction ends with names it
	}
	queue := slices.Clone(srcs)
	seen := map[string]bool{}
	first := true
	for len(queue) > 0 && len(seen) < maxParts {
		s := queue[0]
		queue = queue[1:]
		id := s.loc().String()
		if seen[id] {
			continue
		}
		seen[id] = true
		switch x := s.v.(type) {
		case bool:
			if !x {
				f.types = map[string]bool{}
				f.typesLoc = s.loc()
			}
			continue
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				target, loc, err := d.refs.Lookup(s.file, ref)
				if err != nil {
					if f.unresolved == "" {
						f.unresolved = ref
						f.loc = s.loc()
					}
				} else {
					if first && f.name == "" {
						f.name = refName(ref)
					}
					queue = append(queue, src{v: target, file: loc.File, ptr: loc.Pointer})
				}
			}
			first = false
			f.merge(s, x, &queue)
		default:
			first = false
		}
	}
	return f
}

func pureRefOrSchemaRef(v any) (string, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		return "", false
	}
	ref, ok := obj["$ref"].(string)
	return ref, ok
}

// refName is the last token of a reference: the component's name.
func refName(ref string) string {
	_, frag, _ := strings.Cut(ref, "#")
	if i := strings.LastIndexByte(frag, '/'); i >= 0 {
		return frag[i+1:]
	}
	return ref
}

// merge adds schema object x, at s, to the conjunction.
func (f *flat) merge(s src, x map[string]any, queue *[]src) {
	at := func(k string) Location { return Location{File: s.file, Pointer: jsonptr.Append(s.ptr, k)} }
	if t, ok := x["type"]; ok {
		set := map[string]bool{}
		switch tv := t.(type) {
		case string:
			set[tv] = true
		case []any:
			for _, e := range tv {
				if str, ok := e.(string); ok {
					set[str] = true
				}
			}
		}
		if f.types == nil {
			f.types, f.typesLoc = set, at("type")
		} else {
			f.types = intersectTypes(f.types, set)
		}
	}
	var values []any
	hasEnum := false
	if e, ok := x["enum"].([]any); ok {
		values, hasEnum = e, true
	}
	if cv, ok := x["const"]; ok {
		values, hasEnum = []any{cv}, true
	}
	if hasEnum {
		set := map[string]string{}
		for _, v := range values {
			set[canonical(v)] = display(v)
		}
		if f.enum == nil {
			f.enum, f.enumLoc = set, at("enum")
			if _, ok := x["const"]; ok {
				f.enumLoc = at("const")
			}
		} else {
			for k := range f.enum {
				if _, ok := set[k]; !ok {
					delete(f.enum, k)
				}
			}
		}
	}
	if props, ok := x["properties"].(map[string]any); ok {
		if f.props == nil {
			f.props = map[string][]src{}
		}
		for _, name := range slices.Sorted(maps.Keys(props)) {
			if _, ok := f.props[name]; !ok {
				f.propOrder = append(f.propOrder, name)
			}
			f.props[name] = append(f.props[name], src{v: props[name], file: s.file, ptr: jsonptr.Append(s.ptr, "properties", name)})
		}
	}
	if req, ok := x["required"].([]any); ok {
		if f.required == nil {
			f.required = map[string]bool{}
		}
		for _, r := range req {
			if name, ok := r.(string); ok {
				f.required[name] = true
			}
		}
	}
	if ap, ok := x["additionalProperties"]; ok {
		if b, ok := ap.(bool); ok {
			if !b {
				f.addlFalse = true
			}
		} else {
			f.addl = append(f.addl, src{v: ap, file: s.file, ptr: jsonptr.Append(s.ptr, "additionalProperties")})
		}
	}
	if it, ok := x["items"]; ok {
		if _, tuple := it.([]any); tuple {
			f.addOther("items", it, at("items"))
		} else {
			f.items = append(f.items, src{v: it, file: s.file, ptr: jsonptr.Append(s.ptr, "items")})
		}
	}
	for _, k := range lowerBounds {
		if r, raw, ok := number(x[k]); ok {
			if old, had := f.limits[k]; !had || r.Cmp(old.v) > 0 {
				f.limits[k] = limit{r, raw, at(k)}
			}
		} else if b, ok := x[k].(bool); ok && b && k == "exclusiveMinimum" { // draft-04
			f.addOther(k, b, at(k))
		}
	}
	for _, k := range upperBounds {
		if r, raw, ok := number(x[k]); ok {
			if old, had := f.limits[k]; !had || r.Cmp(old.v) < 0 {
				f.limits[k] = limit{r, raw, at(k)}
			}
		} else if b, ok := x[k].(bool); ok && b && k == "exclusiveMaximum" {
			f.addOther(k, b, at(k))
		}
	}
	for _, k := range []string{"pattern", "format"} {
		if str, ok := x[k].(string); ok {
			if old, had := f.strs[k]; had && old.v != str {
				f.addOther(k, str, at(k)) // two different patterns: compare as written
				continue
			}
			f.strs[k] = limitStr{str, at(k)}
		}
	}
	if _, raw, ok := number(x["multipleOf"]); ok {
		f.strs["multipleOf"] = limitStr{raw, at("multipleOf")}
	}
	if b, ok := x["uniqueItems"].(bool); ok && b {
		f.unique = true
	}
	if all, ok := x["allOf"].([]any); ok {
		for i, e := range all {
			*queue = append(*queue, src{v: e, file: s.file, ptr: jsonptr.Append(s.ptr, "allOf", fmt.Sprint(i))})
		}
	}
	for _, u := range []string{"oneOf", "anyOf"} {
		branches, ok := x[u].([]any)
		id := s.loc().String() + "|" + u
		if !ok || strings.Contains("\n"+f.drops+"\n", "\n"+id+"\n") {
			continue
		}
		if f.union != "" || len(branches) == 0 {
			f.addOther(u, x[u], at(u)) // a second union: compared as written
			continue
		}
		f.union, f.unionID = u, id
		for i, b := range branches {
			f.branches = append(f.branches, src{v: b, file: s.file, ptr: jsonptr.Append(s.ptr, u, fmt.Sprint(i))})
		}
	}
	for _, k := range slices.Sorted(maps.Keys(x)) {
		if annotations[k] || modeled[k] || strings.HasPrefix(k, "x-") || !jsonSchemaKeyword[k] {
			continue
		}
		f.addOther(k, x[k], at(k))
	}
}

// jsonSchemaKeyword lists the constraining keywords diff does not model,
// compared as written; other unknown members are annotations.
var jsonSchemaKeyword = map[string]bool{
	"not": true, "if": true, "then": true, "else": true, "dependentRequired": true,
	"dependentSchemas": true, "dependencies": true, "propertyNames": true, "contains": true,
	"minContains": true, "maxContains": true, "unevaluatedProperties": true,
	"unevaluatedItems": true, "patternProperties": true, "additionalItems": true, "prefixItems": true,
	"contentEncoding": true, "contentMediaType": true, "$dynamicRef": true, "$recursiveRef": true,
}

func (f *flat) addOther(k string, v any, loc Location) {
	if f.other == nil {
		f.other, f.otherLoc = map[string]string{}, map[string]Location{}
	}
	if prev, ok := f.other[k]; ok {
		f.other[k] = prev + "&" + canonical(v)
		return
	}
	f.other[k], f.otherLoc[k] = canonical(v), loc
}

// intersectTypes returns the types both sets accept.
func intersectTypes(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for t := range a {
		if covers(b, t) {
			out[t] = true
		}
	}
	for t := range b {
		if covers(a, t) {
			out[t] = true
		}
	}
	if out["number"] && !(a["number"] && b["number"]) {
		delete(out, "number") // number ∧ integer is integer
		out["integer"] = true
	}
	return out
}

// covers reports whether type set s (nil: any type) accepts values of
// type t.
func covers(s map[string]bool, t string) bool {
	if s == nil {
		return true
	}
	return s[t] || (t == "integer" && s["number"])
}

// allTypes are the JSON Schema types, to name what "any type" gained or lost.
var allTypes = []string{"array", "boolean", "integer", "null", "number", "object", "string"}

// number reads a JSON number exactly.
func number(v any) (*big.Rat, string, bool) {
	var s string
	switch n := v.(type) {
	case json.Number:
		s = n.String()
	case float64:
		s = fmt.Sprint(n)
	default:
		return nil, "", false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, s, ok
}

// canonical encodes v so that equal JSON values encode alike (numbers by
// value, object members sorted).
func canonical(v any) string {
	var b strings.Builder
	writeCanonical(&b, v)
	return b.String()
}

func writeCanonical(b *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		b.WriteByte('{')
		for i, k := range slices.Sorted(maps.Keys(x)) {
			if i > 0 {
				b.WriteByte(',')
			}
			kb, _ := json.Marshal(k)
			b.Write(kb)
			b.WriteByte(':')
			writeCanonical(b, x[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeCanonical(b, e)
		}
		b.WriteByte(']')
	default:
		if r, _, ok := number(v); ok {
			b.WriteString(r.RatString())
			return
		}
		eb, _ := json.Marshal(x)
		b.Write(eb)
	}
}

// display writes v as JSON for messages, shortened.
func display(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 60 {
		return string(b[:57]) + "…"
	}
	return string(b)
}
