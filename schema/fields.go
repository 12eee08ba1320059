package schema

import (
	"reflect"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"
)

// fieldInfo is what the required rule needs to know about a struct field.
type fieldInfo struct {
	pointer bool // the field's type is a pointer
	omit    bool // the json tag has omitempty or omitzero
}

// required applies the package's required rule.
func (f fieldInfo) required() bool { return !f.pointer && !f.omit }

// collectFields records the JSON fields of struct type t by JSON name,
// following the same naming and flattening rules as invopop/jsonschema.
func collectFields(t reflect.Type, out map[string]fieldInfo) {
	for f := range t.Fields() {
		opts := strings.Split(f.Tag.Get("json"), ",")
		if opts[0] == "-" || strings.Split(f.Tag.Get("jsonschema"), ",")[0] == "-" {
			continue
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		embedded := f.Anonymous && opts[0] == "" && ft.Kind() == reflect.Struct
		if embedded || slices.Contains(opts[1:], "inline") {
			if ft.Kind() == reflect.Struct {
				collectFields(ft, out)
			}
			continue
		}
		if !f.Anonymous && !f.IsExported() {
			continue
		}
		name := f.Name
		if opts[0] != "" {
			name = opts[0]
		}
		out[name] = fieldInfo{
			pointer: f.Type.Kind() == reflect.Pointer,
			omit:    slices.Contains(opts[1:], "omitempty") || slices.Contains(opts[1:], "omitzero"),
		}
	}
}

// applyRequiredRule resets the "required" list of the object schema s of
// struct type t to the package's rule, keeping property order, and lets
// pointer fields be null.
func applyRequiredRule(s *jsonschema.Schema, t reflect.Type) {
	fields := make(map[string]fieldInfo)
	collectFields(t, fields)
	var req []string
	for name, ps := range s.Properties.FromOldest() {
		f, ok := fields[name]
		if ok && f.required() {
			req = append(req, name)
		}
		if ok && f.pointer {
			s.Properties.Set(name, nullable(ps))
		}
	}
	s.Required = req
}

// nullable returns a schema that accepts what ps accepts and null: a Go
// pointer field encodes a nil pointer as null, and decodes null as nil. The
// annotations of ps move to the wrapper, where documentation tools look.
func nullable(ps *jsonschema.Schema) *jsonschema.Schema {
	if ps == nil || ps.Type == "null" || isNullable(ps) {
		return ps
	}
	inner := *ps
	outer := &jsonschema.Schema{
		Title:       inner.Title,
		Description: inner.Description,
		Deprecated:  inner.Deprecated,
		AnyOf:       []*jsonschema.Schema{&inner, {Type: "null"}},
	}
	inner.Title, inner.Description, inner.Deprecated = "", "", false
	return outer
}

func isNullable(ps *jsonschema.Schema) bool {
	for _, alt := range ps.AnyOf {
		if alt.Type == "null" {
			return true
		}
	}
	return false
}
