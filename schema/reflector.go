package schema

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// refPrefix is the prefix of every reference to a component schema.
const refPrefix = "#/components/schemas/"

// defsPrefix is the prefix of the references that invopop/jsonschema emits.
const defsPrefix = "#/$defs/"

// A Reflector turns Go types into JSON Schemas and OpenRPC content
// descriptors, collecting the named types it meets as shared components.
//
// Use one Reflector for a whole [Document] so that every schema refers to
// the same components. A Reflector is not safe for concurrent use: callers
// that share one must serialise their calls.
type Reflector struct {
	inner jsonschema.Reflector

	// keys maps each named Go type to its definition key inside
	// invopop/jsonschema, unique per type; keyTypes is the inverse.
	keys     map[reflect.Type]string
	keyTypes map[string]reflect.Type

	// names maps a definition key to its component name; taken holds the
	// component names handed out.
	names map[string]string
	taken map[string]bool

	components map[string]*jsonschema.Schema
	mapped     map[reflect.Type]*jsonschema.Schema // see MapType
}

// NewReflector returns an empty Reflector.
func NewReflector() *Reflector {
	r := &Reflector{
		keys:       make(map[reflect.Type]string),
		keyTypes:   make(map[string]reflect.Type),
		names:      make(map[string]string),
		taken:      make(map[string]bool),
		components: make(map[string]*jsonschema.Schema),
	}
	r.inner = jsonschema.Reflector{
		Anonymous: true,
		Namer:     r.defKey,
		Mapper:    r.mapType,
	}
	return r
}

// MapType makes every occurrence of t (and *t) reflect to a copy of s
// instead of t's own schema. Use it when a custom codec gives t another
// wire form, so that documents and validation agree with the wire: for
// example {"type": "integer"} for a time.Time written as Unix seconds. Call
// it before reflecting any type that contains t. Where t is a struct field,
// the field's tags still set the description, as for any field.
func (r *Reflector) MapType(t reflect.Type, s *jsonschema.Schema) {
	if r.mapped == nil {
		r.mapped = make(map[reflect.Type]*jsonschema.Schema)
	}
	r.mapped[t] = s
}

// mapType is the inner reflector's Mapper: the schemas given to MapType,
// else the schema of t's wire form where it differs from t's Go shape
// (see the package documentation, "Wire forms").
func (r *Reflector) mapType(t reflect.Type) *jsonschema.Schema {
	s, ok := r.mapped[t]
	if !ok {
		return wireSchema(t)
	}
	c := *s // each use gets its own copy: the reflector annotates schemas
	return &c
}

// Schema returns the JSON Schema of t. Named struct types (and other named
// composite types) met on the way are stored as components and referenced
// as {"$ref": "#/components/schemas/Name"}; for such a t the result is
// itself a reference. The schema carries no "$schema" or "$id".
//
// Schema fails for types that have no JSON form, such as channels,
// functions and complex numbers.
func (r *Reflector) Schema(t reflect.Type) (*jsonschema.Schema, error) {
	if t == nil {
		return nil, errors.New("schema: Schema of nil type")
	}
	root, defs, err := r.reflect(t)
	if err != nil {
		return nil, err
	}
	r.register(defs)
	r.rewrite(root)
	return root, nil
}

// Params returns one content descriptor per JSON field of the struct type t
// (or pointer to struct), in Go field order, with the fields of embedded
// structs flattened in place and fields tagged json:"-" left out. Each
// descriptor is named after the field's JSON name and carries the field's
// schema, including the constraints of its `jsonschema:"..."` tag; the
// tag's description also becomes the descriptor's description.
//
// A field is required if and only if its type is not a pointer and its json
// tag has neither the omitempty nor the omitzero option. The same rule sets
// "required" in the schemas of named struct types.
//
// The params struct itself becomes a component only if some schema refers
// to it.
func (r *Reflector) Params(t reflect.Type) ([]*ContentDescriptor, error) {
	if t == nil {
		return nil, errors.New("schema: Params of nil type")
	}
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() != reflect.Struct {
		return nil, fmt.Errorf("schema: params type %s is not a struct", t)
	}
	root, defs, err := r.reflect(st)
	if err != nil {
		return nil, err
	}
	obj := root
	if key := r.keys[st]; key != "" && defs[key] != nil {
		obj = defs[key]
		if !refersTo(defs, defsPrefix+key) {
			delete(defs, key)
		}
	}
	if obj.Properties == nil {
		if ownForm(st) {
			return nil, fmt.Errorf("schema: params type %s has its own JSON form (a MarshalJSON, MarshalText or UnmarshalText method, perhaps promoted from an embedded field), not an object of its fields", t)
		}
		return nil, fmt.Errorf("schema: params type %s has no JSON object form", t)
	}
	r.register(defs)
	r.rewrite(obj)

	fields := make(map[string]fieldInfo)
	collectFields(st, fields)
	cds := make([]*ContentDescriptor, 0, obj.Properties.Len())
	for name, ps := range obj.Properties.FromOldest() {
		if fields[name].pointer {
			ps = nullable(ps)
		}
		cds = append(cds, &ContentDescriptor{
			Name:        name,
			Description: ps.Description,
			Required:    fields[name].required(),
			Deprecated:  ps.Deprecated,
			Schema:      ps,
		})
	}
	return cds, nil
}

// Components returns the component schemas collected so far, or nil if
// there are none. The returned value is a snapshot: later calls on r do not
// change it, but the schemas themselves are shared.
func (r *Reflector) Components() *Components {
	if len(r.components) == 0 {
		return nil
	}
	return &Components{Schemas: maps.Clone(r.components)}
}

// reflect runs invopop/jsonschema on t and returns the root schema and the
// definitions it produced, turning its panics on unsupported types into
// errors.
func (r *Reflector) reflect(t reflect.Type) (root *jsonschema.Schema, defs jsonschema.Definitions, err error) {
	defer func() {
		if p := recover(); p != nil {
			msg, ok := p.(string)
			if !ok || !strings.HasPrefix(msg, "unsupported type") {
				panic(p)
			}
			err = fmt.Errorf("schema: cannot describe %s: %s", t, msg)
		}
	}()
	root = r.inner.ReflectFromType(t)
	defs = root.Definitions
	root.Definitions = nil
	return root, defs, nil
}

// defKey is the invopop Namer: it gives every named type a key that no
// other type shares, so that types of equal name never merge.
func (r *Reflector) defKey(t reflect.Type) string {
	if t.Name() == "" {
		return ""
	}
	if k, ok := r.keys[t]; ok {
		return k
	}
	base := t.PkgPath() + "." + t.Name()
	k := base
	for i := 2; r.keyTypes[k] != nil; i++ {
		k = base + "#" + strconv.Itoa(i) // distinct local types of equal name
	}
	r.keys[t] = k
	r.keyTypes[k] = t
	return k
}

// register names the definitions of one reflection, rewrites their
// references and adds the new ones to the components. Names are handed out
// in sorted key order, so the outcome depends only on the calls made.
func (r *Reflector) register(defs jsonschema.Definitions) {
	keys := slices.Sorted(maps.Keys(defs))
	for _, k := range keys {
		r.componentName(k)
	}
	for _, k := range keys {
		def, name := defs[k], r.names[k]
		r.rewrite(def)
		if def.Title == "" {
			def.Title = name
		}
		if t := r.keyTypes[k]; t != nil && t.Kind() == reflect.Struct && def.Properties != nil {
			applyRequiredRule(def, t)
		}
		if _, ok := r.components[name]; !ok {
			r.components[name] = def
		}
	}
}

// componentName returns the component name of definition key k, handing
// out a new one if needed: the sanitised type name, else the name
// qualified by its package's last path element, else that with a numeric
// suffix.
func (r *Reflector) componentName(k string) string {
	if n, ok := r.names[k]; ok {
		return n
	}
	t := r.keyTypes[k]
	name := sanitizeName(t.Name())
	if r.taken[name] {
		pkg := t.PkgPath()
		pkg = pkg[strings.LastIndexByte(pkg, '/')+1:]
		qualified := name
		if pkg != "" {
			qualified = sanitizeName(pkg) + "." + name
		}
		name = qualified
		for i := 2; r.taken[name]; i++ {
			name = qualified + "_" + strconv.Itoa(i)
		}
	}
	r.names[k] = name
	r.taken[name] = true
	return name
}

// rewrite walks s, pointing invopop's "#/$defs/key" references at
// components and dropping "$schema" and "$id".
func (r *Reflector) rewrite(s *jsonschema.Schema) {
	walk(s, func(s *jsonschema.Schema) {
		if s.Version != "" {
			s.Version = ""
		}
		if s.ID != "" {
			s.ID = ""
		}
		if key, ok := strings.CutPrefix(s.Ref, defsPrefix); ok {
			if name, ok := r.names[key]; ok {
				s.Ref = refPrefix + name
			}
		}
	})
}

// refersTo reports whether any schema in defs holds the reference ref.
func refersTo(defs jsonschema.Definitions, ref string) bool {
	found := false
	for _, def := range defs {
		walk(def, func(s *jsonschema.Schema) {
			if s.Ref == ref {
				found = true
			}
		})
	}
	return found
}

// walk calls fn on s and on every subschema of s, once each.
func walk(s *jsonschema.Schema, fn func(*jsonschema.Schema)) {
	seen := make(map[*jsonschema.Schema]bool)
	var visit func(*jsonschema.Schema)
	visit = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		fn(s)
		for _, list := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
			for _, c := range list {
				visit(c)
			}
		}
		for _, c := range []*jsonschema.Schema{
			s.Not, s.If, s.Then, s.Else, s.Items, s.Contains,
			s.AdditionalProperties, s.PropertyNames, s.ContentSchema,
		} {
			visit(c)
		}
		for _, m := range []map[string]*jsonschema.Schema{s.DependentSchemas, s.PatternProperties, s.Definitions} {
			for _, k := range slices.Sorted(maps.Keys(m)) {
				visit(m[k])
			}
		}
		if s.Properties != nil {
			for _, c := range s.Properties.FromOldest() {
				visit(c)
			}
		}
	}
	visit(s)
}
