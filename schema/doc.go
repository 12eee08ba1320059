// Package schema describes Go types as JSON Schema and models OpenRPC 1.3.2
// documents.
//
// # Reflecting types
//
// A [Reflector] turns Go types into schemas with the help of
// github.com/invopop/jsonschema, whose `jsonschema:"..."` struct tags add
// constraints (minLength, maxLength, pattern, format, minimum, maximum,
// enum, description, title, example and more):
//
//	type SignupParams struct {
//		Email string  `json:"email" jsonschema:"format=email"`
//		Name  string  `json:"name" jsonschema:"minLength=1,maxLength=64"`
//		Ref   *string `json:"ref"`
//	}
//
//	r := schema.NewReflector()
//	params, err := r.Params(reflect.TypeFor[SignupParams]())  // one descriptor per field
//	result, err := r.Schema(reflect.TypeFor[User]())           // {"$ref": "#/components/schemas/User"}
//	doc.Components = r.Components()                           // User and the types it uses
//
// Named struct types become shared components, referenced as
// "#/components/schemas/Name" and titled with their name; recursive types
// are fine. Component names are the Go type names; a second type of the same
// name from another package is qualified by its package ("mail.Address"),
// and generic instantiations are spelled with "_" ("Page[app.User]" becomes
// "Page_User"), so that every name matches ^[a-zA-Z0-9._-]+$ as OpenRPC
// requires. Schemas never carry "$schema" or "$id". Channels, functions and
// complex numbers have no JSON form and make reflection fail.
//
// # The required rule
//
// A struct field is required if and only if its type is not a pointer and
// its json tag has neither omitempty nor omitzero. [Reflector.Params] sets
// [ContentDescriptor.Required] by this rule, and the "required" lists of
// component struct schemas follow it too. In the example above, email and
// name are required and ref is optional.
//
// [ParamsSchema] joins descriptors into the object schema that a by-name
// params object must satisfy, ready to compile with package validate.
//
// # Documents
//
// [Document] and the types it holds mirror the OpenRPC 1.3.2 objects, with
// JSON names as in the specification. [Marshal] writes a document as
// indented, deterministic JSON; the caller decides the method order.
//
// A Reflector is not safe for concurrent use; the document types are plain
// values.
package schema
