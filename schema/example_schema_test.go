package schema_test

import (
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/schemarpc/schemarpc/schema"
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
