// Package validate checks JSON values against JSON Schemas and reports
// violations in a machine-readable form.
//
// # Compile once, validate often
//
// [Compile] turns a schema into a [Validator], which is immutable and safe
// for concurrent use, so compile at start-up and validate on every call:
//
//	v, err := validate.Compile(paramsSchema, validate.WithComponents(componentsJSON))
//	...
//	if err := v.ValidateJSON(params); err != nil {
//		var verr *validate.Error
//		if errors.As(err, &verr) {
//			// verr.Violations: [{Pointer: "/email", Keyword: "format", Message: ...}]
//		}
//	}
//
// Schemas follow draft 2020-12 unless they declare another draft or
// [WithDraft7] is given. Formats such as email, uuid, date-time and uri are
// asserted, not just annotated. References of the form
// "#/components/schemas/Name", as an OpenRPC document writes them, resolve
// against the components given with [WithComponents], and references to
// other documents ("schemas/pet.json#/Pet") against the documents given
// with [WithResource]; nothing is fetched from files or the network.
//
// # Violations
//
// An invalid value yields an [*Error] holding one [Violation] per offending
// location, sorted by JSON pointer. A violation names the RFC 6901 pointer
// of the value, the bare keyword that failed and a message. A missing
// required property and a property that additionalProperties forbids are
// reported at that property's own pointer ("/email", keyword "required").
// When several keywords fail at one location, the most telling one is kept;
// when no branch of a oneOf or anyOf matches, only the branch that came
// closest is reported. Input that is not JSON at all yields a plain error
// instead, so callers can tell the two apart.
//
// # Params of a method
//
// [Params] describes how a method takes params (by name, by position,
// variadic, none) and [Params.Normalize] puts a call's params in normal
// form; [ParamsSchema] builds the schema that normal form must satisfy
// from the method's declared params. The server and package lint both use
// them, so a document's checker and the server agree on every call.
//
// # OpenRPC meta-schemas
//
// [OpenRPCDocument] validates a whole OpenRPC document against the
// embedded OpenRPC 1.3.2 meta-schema, and [MetaSchema] returns the
// validator for a given OpenRPC version (1.3.2 for 1.0.0-rc0 to 1.3.x, 1.4
// for 1.4.x). The meta-schemas are compiled with draft-07 semantics on first
// use.
package validate
