package docgen_test

import (
	"context"
	"fmt"
	"os"

	"github.com/schemarpc/schemarpc/docgen"
)

func Example() {
	doc := []byte(`{
	  "openrpc": "1.2.6",
	  "info": {"title": "Greeter", "version": "1.0.0"},
	  "methods": [{
	    "name": "hello",
	    "summary": "Say hello",
	    "params": [{"name": "who", "required": true, "schema": {"type": "string", "minLength": 1}}],
	    "result": {"name": "greeting", "schema": {"$ref": "#/components/schemas/Greeting"}}
	  }],
	  "components": {"schemas": {"Greeting": {"type": "string", "description": "A friendly message."}}}
	}`)
	err := docgen.Render(context.Background(), os.Stdout, doc, docgen.Options{
		Format: docgen.Markdown,
		Warn:   func(msg string) { fmt.Println("warning:", msg) },
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// # Greeter
	//
	// Version `1.0.0` · OpenRPC `1.2.6`
	//
	// ## Contents
	//
	// - [Methods](#methods)
	//   - [`hello`](#method-hello) — Say hello
	// - [Schemas](#schemas)
	//   - [Greeting](#schema-greeting)
	//
	// <a id="methods"></a>
	//
	// ## Methods
	//
	// <a id="method-hello"></a>
	//
	// ### `hello`
	//
	// Say hello
	//
	// #### Parameters
	//
	// | Name | Type | Required | Constraints | Description |
	// | --- | --- | --- | --- | --- |
	// | `who` | string | yes | minLength: `1` |  |
	//
	// #### Result
	//
	// | Name | Type | Constraints | Description |
	// | --- | --- | --- | --- |
	// | `greeting` | [Greeting](#schema-greeting) |  | A friendly message. |
	//
	// <a id="schemas"></a>
	//
	// ## Schemas
	//
	// <a id="schema-greeting"></a>
	//
	// ### Greeting
	//
	// A friendly message.
	//
	// Type: string
}
