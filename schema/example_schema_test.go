package schema_test

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
)

// Named struct types become components, referenced by $ref; other types
// are described inline.
func ExampleReflector_Schema() {
	type Address struct {
		City string `json:"city" jsonschema:"minLength=1"`
	}
	type User struct {
		Name    string   `json:"name"`
		Address *Address `json:"address,omitempty"`
	}

	r := schema.NewReflector()
	for _, t := range []reflect.Type{reflect.TypeFor[User](), reflect.TypeFor[[]string]()} {
		s, err := r.Schema(t)
		if err != nil {
			fmt.Println(err)
			return
		}
		b, _ := json.Marshal(s)
		fmt.Printf("%v: %s\n", t, b)
	}
	for _, name := range []string{"User", "Address"} {
		b, _ := json.Marshal(r.Components().Schemas[name])
		fmt.Printf("component %s: %s\n", name, b)
	}
	// Output:
	// schema_test.User: {"$ref":"#/components/schemas/User"}
	// []string: {"items":{"type":"string"},"type":"array"}
	// component User: {"properties":{"name":{"type":"string"},"address":{"anyOf":[{"$ref":"#/components/schemas/Address"},{"type":"null"}]}},"additionalProperties":false,"type":"object","required":["name"],"title":"User"}
	// component Address: {"properties":{"city":{"type":"string","minLength":1}},"additionalProperties":false,"type":"object","required":["city"],"title":"Address"}
}

// ParamsSchema joins a method's params into the schema of its params
// object, ready to compile with package validate.
func ExampleParamsSchema() {
	type TransferParams struct {
		From   string `json:"from" jsonschema:"minLength=1"`
		To     string `json:"to" jsonschema:"minLength=1"`
		Amount int    `json:"amount" jsonschema:"minimum=1"`
		Memo   string `json:"memo,omitempty"`
	}

	r := schema.NewReflector()
	params, err := r.Params(reflect.TypeFor[TransferParams]())
	if err != nil {
		fmt.Println(err)
		return
	}
	b, _ := json.Marshal(schema.ParamsSchema(params))
	fmt.Printf("%s\n", b)

	v, err := validate.Compile(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.ValidateJSON([]byte(`{"from": "alice", "to": "bob", "amount": 5}`)))
	fmt.Println(v.ValidateJSON([]byte(`{"from": "alice", "amount": 0}`)))
	// Output:
	// {"properties":{"from":{"type":"string","minLength":1},"to":{"type":"string","minLength":1},"amount":{"type":"integer","minimum":1},"memo":{"type":"string"}},"additionalProperties":false,"type":"object","required":["from","to","amount"]}
	// <nil>
	// /amount: minimum: expected a number >= 1, got 0; /to: required: missing required property "to"
}
