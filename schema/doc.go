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
// validate.ParamsSchema joins descriptors into the object schema that a
// by-name params object must satisfy, ready to compile with package
// validate.
//
// # Wire forms
//
// A schema describes what encoding/json writes and reads, which is not
// always the Go shape:
//
//   - A sized integer carries the bounds of its Go type as exact integers:
//     int8 is {"type": "integer", "minimum": -128, "maximum": 127}, uint64
//     has minimum 0 and maximum 18446744073709551615; int and uint follow
//     the platform's size. A minimum or maximum tag replaces the bound.
//   - time.Duration is an integer of nanoseconds (int64 bounds), as
//     encoding/json writes it; time.Time is a string of format date-time.
//   - json.Number is any JSON number; big.Int is an integer of any size
//     (a bare JSON integer, no exponent; the bounds of int64 do not apply);
//     big.Float and big.Rat are strings ("1.5e+100", "1/3"), as their
//     MarshalText writes them.
//   - netip.Addr and net.IP are strings of format ipv4 or ipv6;
//     netip.AddrPort ("192.0.2.1:53", "[2001:db8::1]:80") and netip.Prefix
//     ("10.0.0.0/8") are strings with a pattern, no standard format
//     covering them. The zero values, written as "", and IPv6 zones are
//     refused: use a pointer or omitzero for an optional address.
//   - url.URL has no text form in encoding/json: it travels as an object
//     of its exported fields (Scheme, Host, Path, ...). Use a string field
//     with format uri for a URL in text form.
//   - Any other type with MarshalText or UnmarshalText (on the value or
//     the pointer) is a string, as encoding/json writes it.
//   - A type with MarshalJSON (or a non-struct type with UnmarshalJSON)
//     accepts any JSON value: its form cannot be known by reflection, and a
//     guess would refuse the calls it was written for.
//     [Reflector.MapType] (server.WithTypeSchema) says what it is. A struct
//     with UnmarshalJSON only (typically to set defaults before decoding)
//     is still described by its fields.
//
// A type that gives invopop/jsonschema its own schema (a JSONSchema,
// JSONSchemaAlias or JSONSchemaExtend method) keeps it, and MapType wins
// over all of the above. big.Int and big.Float marshal through pointer
// methods: a value of either is written as {} where encoding/json cannot
// take its address (a field of a struct passed by value), so use pointers
// (*big.Int) or return results by pointer.
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
