package validate_test

import (
	"errors"
	"fmt"

	"github.com/schemarpc/schemarpc/validate"
)

func ExampleCompile() {
	v, err := validate.Compile([]byte(`{
		"type": "object",
		"properties": {
			"email": {"type": "string", "format": "email"},
			"age": {"type": "integer", "minimum": 0}
		},
		"required": ["email", "name"],
		"additionalProperties": false
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}

	err = v.ValidateJSON([]byte(`{"email": "x", "age": -1, "admin": true}`))
	var verr *validate.Error
	if errors.As(err, &verr) {
		for _, viol := range verr.Violations {
			fmt.Printf("%s %s: %s\n", viol.Pointer, viol.Keyword, viol.Message)
		}
	}
	// Output:
	// /admin additionalProperties: property "admin" is not allowed
	// /age minimum: expected a number >= 0, got -1
	// /email format: expected a valid email, got "x"
	// /name required: missing required property "name"
}

func ExampleWithComponents() {
	components := []byte(`{"Point": {"type": "object", "properties": {"x": {"type": "number"}}, "required": ["x"]}}`)
	v, err := validate.Compile([]byte(`{"type": "array", "items": {"$ref": "#/components/schemas/Point"}}`),
		validate.WithComponents(components))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.ValidateJSON([]byte(`[{"x": 1}, {"y": 2}]`)))
	// Output:
	// /1/x: required: missing required property "x"
}

func ExampleOpenRPCDocument() {
	err := validate.OpenRPCDocument([]byte(`{
		"openrpc": "1.3.2",
		"info": {"title": "Demo"},
		"methods": []
	}`))
	fmt.Println(err)
	// Output:
	// /info/version: required: missing required property "version"
}

func ExampleMetaSchema() {
	v, err := validate.MetaSchema("1.4.0")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.ValidateJSON([]byte(`{"openrpc": "1.4.0", "info": {"title": "Demo", "version": "1"}, "methods": []}`)))
	// Output:
	// <nil>
}
