package validate

// A Param is one declared param of a method, as its params schema needs
// it: an OpenRPC content descriptor reduced to its name, whether it is
// required, and its schema.
type Param struct {
	// Name is the param's name: its key in by-name params.
	Name string
	// Required reports whether by-name params must hold the param.
	Required bool
	// Schema is the param's JSON Schema: any value that encodes as one,
	// such as a *jsonschema.Schema, a decoded map or a json.RawMessage. A
	// nil Schema accepts any value.
	Schema any
}

// ParamsSchema returns the JSON Schema that a method's params satisfy once
// [Params.Normalize] has put them in normal form. It is the one place that
// builds it, for the server that validates calls and for the checkers of
// OpenRPC documents and payloads alike.
//
// For [VariadicParams] it is an array whose items match the schema of the
// single declared param. For every other shape it is an object with one
// property per param, "required" listing the required ones (absent when
// none is), and no other property allowed. The result is ready to encode
// with encoding/json and compile with [Compile].
func ParamsSchema(shape ParamsShape, params []Param) map[string]any {
	if shape == VariadicParams {
		var item any = map[string]any{}
		if len(params) > 0 && params[0].Schema != nil {
			item = params[0].Schema
		}
		return map[string]any{"type": "array", "items": item}
	}
	props := make(map[string]any, len(params))
	var required []string
	for _, p := range params {
		var s any = map[string]any{}
		if p.Schema != nil {
			s = p.Schema
		}
		props[p.Name] = s
		if p.Required {
			required = append(required, p.Name)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}
