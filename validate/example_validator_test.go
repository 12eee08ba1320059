package validate_test

import (
	"encoding/json"
	"fmt"

	"github.com/schemarpc/schemarpc/validate"
)

// Validate checks a value already decoded, or built in Go.
func ExampleValidator_Validate() {
	v, err := validate.Compile([]byte(`{
		"type": "object",
		"properties": {"n": {"type": "integer", "maximum": 10}, "tags": {"type": "array", "maxItems": 2}}
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Validate(map[string]any{"n": 3, "tags": []any{"a"}}))
	fmt.Println(v.Validate(map[string]any{"n": 12.5, "tags": []any{"a", "b", "c"}}))
	// Output:
	// <nil>
	// /n: type: expected integer, got number; /tags: maxItems: expected at most 2 items, got 3
}

// CompileEach compiles the schemas of a whole document at once, sharing
// its components.
func ExampleCompileEach() {
	components := []byte(`{"Money": {"type": "object", "properties": {"cents": {"type": "integer"}}, "required": ["cents"]}}`)
	validators, errs := validate.CompileEach([][]byte{
		[]byte(`{"$ref": "#/components/schemas/Money"}`),
		[]byte(`{"type": "array", "items": {"$ref": "#/components/schemas/Money"}}`),
		[]byte(`{"$ref": "#/components/schemas/Missing"}`),
	}, validate.WithComponents(components))
	for i, v := range validators {
		if errs[i] != nil {
			fmt.Printf("%d: cannot compile\n", i)
			continue
		}
		fmt.Printf("%d: %v\n", i, v.ValidateJSON([]byte(`[{"cents": 1}]`)))
	}
	// Output:
	// 0: (root): type: expected object, got array
	// 1: <nil>
	// 2: cannot compile
}

// WithResource makes another document reachable by a relative reference,
// as an OpenRPC document's references to other files are.
func ExampleWithResource() {
	pet := []byte(`{"Pet": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}}`)
	v, err := validate.Compile([]byte(`{"$ref": "schemas/pet.json#/Pet"}`),
		validate.WithResource("schemas/pet.json", pet))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.ValidateJSON([]byte(`{"name": "Rex"}`)))
	fmt.Println(v.ValidateJSON([]byte(`{}`)))
	// Output:
	// <nil>
	// /name: required: missing required property "name"
}

// Normalize maps params by position onto the declared names, as the
// server does before validating them.
func ExampleParams_Normalize() {
	p := &validate.Params{Method: "subtract", Shape: validate.Named, Names: []string{"minuend", "subtrahend"}}
	for _, params := range []string{`[42, 23]`, `{"minuend": 1}`, `[1, 2, 3]`} {
		out, verr := p.Normalize(json.RawMessage(params))
		if verr != nil {
			fmt.Printf("%s → %v\n", params, verr)
			continue
		}
		fmt.Printf("%s → %s\n", params, out)
	}
	// Output:
	// [42, 23] → {"minuend":42,"subtrahend":23}
	// {"minuend": 1} → {"minuend": 1}
	// [1, 2, 3] → /2: maxItems: too many params: subtract takes at most 2, got 3
}
