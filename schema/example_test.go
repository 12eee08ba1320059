package schema_test

import (
	"fmt"
	"reflect"

	"github.com/schemarpc/schemarpc/schema"
)

func ExampleReflector_Params() {
	type Contact struct {
		Email string `json:"email" jsonschema:"format=email"`
	}
	type InviteParams struct {
		Team    string   `json:"team" jsonschema:"minLength=1,description=Team to join"`
		Contact Contact  `json:"contact"`
		Note    *string  `json:"note"`
		Tags    []string `json:"tags,omitempty"`
	}

	r := schema.NewReflector()
	params, err := r.Params(reflect.TypeFor[InviteParams]())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range params {
		fmt.Printf("%s required=%v\n", p.Name, p.Required)
	}
	for name := range r.Components().Schemas {
		fmt.Println("component:", name)
	}
	// Output:
	// team required=true
	// contact required=true
	// note required=false
	// tags required=false
	// component: Contact
}

func ExampleMarshal() {
	type Greeting struct {
		Text string `json:"text"`
	}
	type HelloParams struct {
		Name string `json:"name" jsonschema:"minLength=1"`
	}

	r := schema.NewReflector()
	params, _ := r.Params(reflect.TypeFor[HelloParams]())
	result, _ := r.Schema(reflect.TypeFor[Greeting]())
	doc := &schema.Document{
		OpenRPC: schema.Version,
		Info:    schema.Info{Title: "Hello", Version: "1.0.0"},
		Methods: []*schema.Method{{
			Name:   "hello",
			Params: params,
			Result: &schema.ContentDescriptor{Name: "greeting", Schema: result},
		}},
		Components: r.Components(),
	}
	b, err := schema.Marshal(doc)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(b))
	// Output:
	// {
	//   "openrpc": "1.3.2",
	//   "info": {
	//     "title": "Hello",
	//     "version": "1.0.0"
	//   },
	//   "methods": [
	//     {
	//       "name": "hello",
	//       "params": [
	//         {
	//           "name": "name",
	//           "required": true,
	//           "schema": {
	//             "type": "string",
	//             "minLength": 1
	//           }
	//         }
	//       ],
	//       "result": {
	//         "name": "greeting",
	//         "schema": {
	//           "$ref": "#/components/schemas/Greeting"
	//         }
	//       }
	//     }
	//   ],
	//   "components": {
	//     "schemas": {
	//       "Greeting": {
	//         "properties": {
	//           "text": {
	//             "type": "string"
	//           }
	//         },
	//         "additionalProperties": false,
	//         "type": "object",
	//         "required": [
	//           "text"
	//         ],
	//         "title": "Greeting"
	//       }
	//     }
	//   }
	// }
}
