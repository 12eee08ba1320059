package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
)

// Spec describes a method by explicit JSON Schemas, as an OpenRPC document
// states it (contract first), instead of by reflecting Go types. Register
// one with [Described]: calls are validated against exactly these schemas
// and rpc.discover serves them as given.
type Spec struct {
	// Summary and Description are the method's OpenRPC summary and
	// description.
	Summary, Description string
	// Deprecated marks the method as deprecated.
	Deprecated bool
	// Tags are the method's OpenRPC tag names.
	Tags []string
	// ParamStructure is "by-name", "by-position", "either" or "" (either).
	ParamStructure string
	// Params are the params in positional order; required ones must come
	// before optional ones.
	Params []ParamSpec
	// Result describes the result; nil for a method without one.
	Result *ParamSpec
	// Errors are the application errors the method may return.
	Errors []*schemarpc.Error
	// Examples are example pairings, served as given.
	Examples []*schema.ExamplePairing
	// Components are the schemas that "#/components/schemas/Name"
	// references in the schemas above resolve to, by name. The server's
	// document lists them under components; registering a method whose
	// component differs from one of the same name already registered
	// fails.
	Components map[string]json.RawMessage
	// Extensions are x-* members of the method object, served as given.
	Extensions map[string]any
}

// ParamSpec is a content descriptor with an explicit schema: a param or
// a result.
type ParamSpec struct {
	// Name is the param's name (its key in by-name params).
	Name string
	// Summary and Description describe the content.
	Summary, Description string
	// Required reports whether the param must be present.
	Required bool
	// Deprecated marks the content as deprecated.
	Deprecated bool
	// Schema is the JSON Schema, as JSON; nil accepts any value.
	Schema json.RawMessage
}

// Described makes a method from an explicit [Spec]. Params are normalised
// to an object ({"name": value, ...}; positional params mapped onto the
// names in order) or, when the extension "x-variadic" names the single
// param, to an array of any number of values of its schema (with
// "x-raw-params": true, params pass as sent, unchecked, as for [Raw]), validated against the spec's schemas, and handed to fn
// as JSON. fn's result is encoded by the server's codec (a
// json.RawMessage is sent as is). A param schema that does not compile,
// a required param after an optional one, or duplicate param names make
// [Server.Add] fail.
func Described(name string, spec Spec, fn func(ctx context.Context, params json.RawMessage) (any, error)) *Method {
	m := newMethod(name, kindRaw, nil)
	sp := spec
	sp.Params = slices.Clone(spec.Params)
	sp.Components = maps.Clone(spec.Components)
	m.spec = &sp
	m.summary, m.description, m.deprecated, m.tags = sp.Summary, sp.Description, sp.Deprecated, slices.Clone(sp.Tags)
	if fn == nil {
		m.err = nilFunc(name, "Described")
	}
	m.invoke = func(ctx context.Context, _ schemarpc.Codec, params json.RawMessage) (any, error) {
		return fn(ctx, params)
	}
	return m
}

// DescribedFunc is [Described] for params decoded into a Go struct P
// whose json names are the spec's param names (the types `schemarpc gen`
// writes): the params, normalised and validated against the spec's
// schemas, are decoded as [Func] decodes its params (with the values and
// errors of encoding/json; a failure answers -32602 with a violation), and
// under the default codec validated in the same pass where the schemas
// allow it. It suits specs whose params come by name or by position; a
// spec with "x-variadic" or "x-raw-params" keeps to [Described].
func DescribedFunc[P, R any](name string, spec Spec, fn func(ctx context.Context, params P) (R, error)) *Method {
	m := Described(name, spec, func(context.Context, json.RawMessage) (any, error) { return nil, nil })
	if fn == nil {
		m.err = nilFunc(name, "DescribedFunc")
		return m
	}
	setTyped(m, fn)
	return m
}

// SpecFromJSON reads an OpenRPC method object (any version from
// 1.0.0-rc0 on) into a [Spec] and returns the method's name. The content
// descriptors must be objects, not references; schemas may hold
// references to "#/components/schemas/Name", whose targets the caller
// puts into Spec.Components.
func SpecFromJSON(method []byte) (name string, spec Spec, err error) {
	var raw struct {
		Name           string                   `json:"name"`
		Summary        string                   `json:"summary"`
		Description    string                   `json:"description"`
		Deprecated     bool                     `json:"deprecated"`
		Tags           []schema.Tag             `json:"tags"`
		ParamStructure string                   `json:"paramStructure"`
		Params         []json.RawMessage        `json:"params"`
		Result         json.RawMessage          `json:"result"`
		Errors         []*schemarpc.Error       `json:"errors"`
		Examples       []*schema.ExamplePairing `json:"examples"`
	}
	dec := json.NewDecoder(bytes.NewReader(method))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return "", Spec{}, fmt.Errorf("server: method object: %w", err)
	}
	spec = Spec{Summary: raw.Summary, Description: raw.Description, Deprecated: raw.Deprecated,
		ParamStructure: raw.ParamStructure, Errors: raw.Errors, Examples: raw.Examples}
	for _, t := range raw.Tags {
		spec.Tags = append(spec.Tags, t.Name)
	}
	for i, p := range raw.Params {
		ps, err := paramSpecFromJSON(p)
		if err != nil {
			return "", Spec{}, fmt.Errorf("server: method %q: param %d: %w", raw.Name, i, err)
		}
		spec.Params = append(spec.Params, ps)
	}
	if len(raw.Result) > 0 && !bytes.Equal(raw.Result, []byte("null")) {
		ps, err := paramSpecFromJSON(raw.Result)
		if err != nil {
			return "", Spec{}, fmt.Errorf("server: method %q: result: %w", raw.Name, err)
		}
		spec.Result = &ps
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(method, &members); err == nil {
		for k, v := range members {
			if len(k) > 2 && k[:2] == "x-" {
				if spec.Extensions == nil {
					spec.Extensions = map[string]any{}
				}
				spec.Extensions[k] = v
			}
		}
	}
	return raw.Name, spec, nil
}

func paramSpecFromJSON(data []byte) (ParamSpec, error) {
	var cd struct {
		Ref         string          `json:"$ref"`
		Name        string          `json:"name"`
		Summary     string          `json:"summary"`
		Description string          `json:"description"`
		Required    bool            `json:"required"`
		Deprecated  bool            `json:"deprecated"`
		Schema      json.RawMessage `json:"schema"`
	}
	if err := json.Unmarshal(data, &cd); err != nil {
		return ParamSpec{}, err
	}
	if cd.Ref != "" {
		return ParamSpec{}, fmt.Errorf("content descriptor is a reference (%s): resolve it first", cd.Ref)
	}
	return ParamSpec{Name: cd.Name, Summary: cd.Summary, Description: cd.Description,
		Required: cd.Required, Deprecated: cd.Deprecated, Schema: cd.Schema}, nil
}

// rawSchema wraps the JSON of a schema so that it is written back exactly
// (members sorted): invopop/jsonschema's Schema would drop keywords it does
// not model ("type" arrays, draft-07 tuples, nullable, x-*).
func rawSchema(data json.RawMessage) (*jsonschema.Schema, error) {
	data = bytes.TrimSpace(data)
	switch string(data) {
	case "", "null":
		return nil, nil
	case "true":
		return jsonschema.TrueSchema, nil
	case "false":
		return jsonschema.FalseSchema, nil
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return nil, fmt.Errorf("a schema is a JSON object or boolean: %w", err)
	}
	s := &jsonschema.Schema{Extras: make(map[string]any, len(members))}
	for k, v := range members {
		s.Extras[k] = v
	}
	return s, nil
}

// compileExplicit is compile for a method made by [Described].
func (s *Server) compileExplicit(m *Method) (*registered, error) {
	sp := m.spec
	r := &registered{Method: m}
	doc := &schema.Method{Name: m.name, Summary: sp.Summary, Description: sp.Description,
		Deprecated: sp.Deprecated, ParamStructure: sp.ParamStructure, Params: []*schema.ContentDescriptor{},
		Examples: sp.Examples}
	if len(sp.Extensions) > 0 {
		doc.Extensions = maps.Clone(sp.Extensions)
	}
	for _, t := range sp.Tags {
		doc.Tags = append(doc.Tags, schema.Tag{Name: t})
	}
	for _, e := range sp.Errors {
		if e != nil {
			doc.Errors = append(doc.Errors, &schema.ErrorObject{Code: int(e.Code), Message: e.Message, Data: e.Data})
		}
	}
	fail := func(format string, args ...any) error {
		return fmt.Errorf("server: method %q: "+format, append([]any{m.name}, args...)...)
	}
	params := make([]validate.Param, 0, len(sp.Params))
	seen := map[string]bool{}
	optional := false
	for _, p := range sp.Params {
		if seen[p.Name] {
			return nil, fail("duplicate param %q", p.Name)
		}
		seen[p.Name] = true
		if p.Required && optional {
			return nil, fail("required param %q comes after an optional one", p.Name)
		}
		optional = optional || !p.Required
		cs, err := rawSchema(p.Schema)
		if err != nil {
			return nil, fail("param %q: %v", p.Name, err)
		}
		doc.Params = append(doc.Params, &schema.ContentDescriptor{Name: p.Name, Summary: p.Summary,
			Description: p.Description, Required: p.Required, Deprecated: p.Deprecated, Schema: cs})
		vp := validate.Param{Name: p.Name, Required: p.Required}
		if len(p.Schema) > 0 {
			vp.Schema = p.Schema
		}
		params = append(params, vp)
		r.names = append(r.names, p.Name)
	}
	if res := sp.Result; res != nil {
		cs, err := rawSchema(res.Schema)
		if err != nil {
			return nil, fail("result: %v", err)
		}
		doc.Result = &schema.ContentDescriptor{Name: res.Name, Summary: res.Summary,
			Description: res.Description, Required: res.Required, Deprecated: res.Deprecated, Schema: cs}
	}
	r.shape = validate.Params{Method: m.name, Shape: validate.Named, Names: r.names,
		ByName:     sp.ParamStructure == schema.ParamStructureByName,
		ByPosition: sp.ParamStructure == schema.ParamStructureByPosition}
	shape := validate.Named
	if v, _ := sp.Extensions["x-variadic"].(string); v != "" || isRawString(sp.Extensions["x-variadic"]) {
		if len(params) != 1 {
			return nil, fail("x-variadic needs exactly one param")
		}
		shape, r.shape.Shape, r.shape.Names = validate.VariadicParams, validate.VariadicParams, nil
	}
	switch {
	case isTrue(sp.Extensions["x-raw-params"]):
		// Params pass as sent, unchecked, like a method made by Raw.
		r.shape = validate.Params{Method: m.name, Shape: validate.AnyParams}
	case len(params) == 0:
		r.shape.Shape = validate.NoParams
	default:
		raw, err := json.Marshal(validate.ParamsSchema(shape, params))
		if err != nil {
			return nil, fail("%v", err)
		}
		var opts []validate.Option
		if len(sp.Components) > 0 {
			comps, err := json.Marshal(sp.Components)
			if err != nil {
				return nil, fail("components: %v", err)
			}
			opts = append(opts, validate.WithComponents(comps))
		}
		v, err := validate.Compile(raw, opts...)
		if err != nil {
			// Documents up to OpenRPC 1.3 follow draft-07.
			v7, err7 := validate.Compile(raw, append(opts, validate.WithDraft7())...)
			if err7 != nil {
				return nil, fail("compiling params schema: %v", err)
			}
			v = v7
		}
		r.validator = v
		r.checked = s.checkedFor(m, v)
	}
	if err := s.checkComponents(m); err != nil {
		return nil, err
	}
	r.doc = doc
	return r, nil
}

// checkComponents fails when a component of m differs from a component
// of the same name that the server already has (reflected, or from
// another described method). It runs with regMu held.
func (s *Server) checkComponents(m *Method) error {
	if len(m.spec.Components) == 0 {
		return nil
	}
	have := s.explicitComponents(*s.methods.Load(), m.name)
	for name, raw := range m.spec.Components {
		if prev, ok := have[name]; ok && !sameJSON(prev, raw) {
			return fmt.Errorf("server: method %q: component schema %q differs from the one already registered", m.name, name)
		}
	}
	return nil
}

// explicitComponents returns the components of the server's document
// as JSON: the reflected ones and those of described methods, except
// the method named skip.
func (s *Server) explicitComponents(methods map[string]*registered, skip string) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	if c := s.reflector.Components(); c != nil {
		for name, sch := range c.Schemas {
			if b, err := json.Marshal(sch); err == nil {
				out[name] = b
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(methods)) {
		r := methods[name]
		if name == skip || r.spec == nil {
			continue
		}
		for k, v := range r.spec.Components {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
	}
	return out
}

// documentComponents returns the components of the server's document:
// the reflector's, plus those of every described method. It runs with
// regMu held.
func (s *Server) documentComponents(methods map[string]*registered) *schema.Components {
	comps := s.reflector.Components()
	var extra map[string]*jsonschema.Schema
	for _, name := range slices.Sorted(maps.Keys(methods)) {
		r := methods[name]
		if r.spec == nil {
			continue
		}
		for k, v := range r.spec.Components {
			if comps != nil && comps.Schemas[k] != nil {
				continue
			}
			if _, ok := extra[k]; ok {
				continue
			}
			cs, err := rawSchema(v)
			if err != nil || cs == nil {
				continue // Add refused it already
			}
			if extra == nil {
				extra = map[string]*jsonschema.Schema{}
			}
			extra[k] = cs
		}
	}
	if extra == nil {
		return comps
	}
	out := &schema.Components{Schemas: extra}
	if comps != nil {
		maps.Copy(out.Schemas, comps.Schemas)
	}
	return out
}

// isTrue reports whether v is true or the JSON true.
func isTrue(v any) bool {
	if b, ok := v.(bool); ok {
		return b
	}
	raw, ok := v.(json.RawMessage)
	return ok && string(bytes.TrimSpace(raw)) == "true"
}

// isRawString reports whether v is the JSON of a non-empty string.
func isRawString(v any) bool {
	raw, ok := v.(json.RawMessage)
	var s string
	return ok && json.Unmarshal(raw, &s) == nil && s != ""
}

// sameJSON reports whether a and b are the same JSON value.
func sameJSON(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return bytes.Equal(a, b)
	}
	xb, _ := json.Marshal(x)
	yb, _ := json.Marshal(y)
	return bytes.Equal(xb, yb)
}
