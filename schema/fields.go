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
// struct type t to the package's rule, keeping property order.
func applyRequiredRule(s *jsonschema.Schema, t reflect.Type) {
	fields := make(map[string]fieldInfo)
	collectFields(t, fields)
	var req []string
	for name := range s.Properties.KeysFromOldest() {
		if f, ok := fields[name]; ok && f.required() {
			req = append(req, name)
		}
	}
	s.Required = req
}
