package docgen

import (
	"encoding/json"
	"fmt"
)

// maxSkeletonDepth bounds the nesting of a params skeleton, so that
// recursive schemas give a finite one.
const maxSkeletonDepth = 4

// tryParams returns the initial text of a method's try-it params editor:
// the params of its first example, else a skeleton built from the params'
// schemas (by name, or by position when the method says so), else "" for a
// method without params.
func (b *builder) tryParams(m *object, file string, mv methodView) string {
	if len(mv.Examples) > 0 && len(mv.Examples[0].Notes) == 0 && mv.Examples[0].Params != "" {
		return mv.Examples[0].Params
	}
	params := m.arr("params")
	if len(params) == 0 {
		return ""
	}
	byName := newObject()
	var byPos []any
	for i, p := range params {
		cv, cfile, _ := b.r.deref(p, file, "content descriptor")
		cd, _ := cv.(*object)
		var val any
		name := fmt.Sprintf("param%d", i+1)
		if cd != nil {
			val = b.skeleton(cd.get("schema"), cfile, 0)
			name = firstNonEmpty(cd.str("name"), name)
		}
		byPos = append(byPos, val)
		if !byName.has(name) {
			byName.keys = append(byName.keys, name)
		}
		byName.vals[name] = val
	}
	if mv.ParamStructure == "by-position" {
		return encodeJSON(byPos, "  ")
	}
	return encodeJSON(byName, "  ")
}

// skeleton returns a value of the shape schema v describes, for a person
// to fill in: its default, first example, const or first enum value, else
// an empty value of its type, with the required properties of objects.
func (b *builder) skeleton(v any, file string, depth int) any {
	o, _ := v.(*object)
	if o == nil || depth > maxSkeletonDepth {
		return nil
	}
	if ref, ok := refOf(o); ok {
		target, loc, err := b.r.lookup(file, ref)
		if err != nil {
			return nil
		}
		return b.skeleton(target, loc.File, depth+1)
	}
	switch {
	case o.has("default"):
		return o.get("default")
	case len(o.arr("examples")) > 0:
		return o.arr("examples")[0]
	case o.has("const"):
		return o.get("const")
	case len(o.arr("enum")) > 0:
		return o.arr("enum")[0]
	}
	for _, t := range schemaTypes(o) {
		switch t {
		case "string":
			return ""
		case "integer", "number":
			return json.Number("0")
		case "boolean":
			return false
		case "array":
			return []any{}
		case "object":
			out := newObject()
			props := o.obj("properties")
			for _, r := range o.arr("required") {
				name, ok := r.(string)
				if !ok || out.has(name) {
					continue
				}
				out.keys = append(out.keys, name)
				out.vals[name] = b.skeleton(props.get(name), file, depth+1)
			}
			return out
		case "null":
			continue
		}
	}
	for _, kind := range []string{"oneOf", "anyOf", "allOf"} {
		if members := o.arr(kind); len(members) > 0 {
			return b.skeleton(members[0], file, depth+1)
		}
	}
	return nil
}
