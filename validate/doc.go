// Package validate checks JSON values against JSON Schemas and reports
// violations in a machine-readable form.
//
// The package has three jobs, each in its own files:
//
//   - JSON Schema validation, the engine (validate.go, each.go, errors.go,
//     messages.go, schemaerror.go, cost.go, and the fast path in fast*.go):
//     [Compile], [CompileEach], [Validator], [Error], [Violation],
//     [SchemaError], [ErrTooComplex].
//   - JSON-RPC params shapes (params.go): [Params] turns the params of a
//     call into the value a method's params schema validates, the same way
//     for the server and for the payload checker of lint.
//   - OpenRPC meta-schemas (metaschema.go and metaschema/): [MetaSchema] and
//     [OpenRPCDocument] validate whole OpenRPC documents.
//
// They share one package because the last two are thin users of the first
// and share its violation type: a params shape error and a meta-schema
// violation read exactly like a schema violation.
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
// asserted, not just annotated. Patterns (pattern, patternProperties and
// format regex) are ECMA-262 regular expressions, as JSON Schema says: a
// pattern that is a regular expression in the strict sense runs on Go's
// linear-time engine, one with lookarounds or backreferences on a
// backtracking engine bounded to 100 ms per match (see package
// internal/ecmaregex). References of the form "#/components/schemas/Name",
// as an OpenRPC document writes them, resolve against the components given
// with [WithComponents], and references to other documents
// ("schemas/pet.json#/Pet") against the documents given with
// [WithResource]; nothing is fetched from files or the network.
//
// A schema that does not compile is an error, never a panic; a fault at a
// place in the schema (a keyword of the wrong type, an invalid pattern, a
// reference that names nothing) is a [*SchemaError] with that place's JSON
// pointer.
//
// # Violations
//
// An invalid value yields an [*Error] holding one [Violation] per offending
// location, sorted by JSON pointer. A violation names the RFC 6901 pointer
// of the value, the bare keyword that failed and a message. A missing
// required property and a property that additionalProperties forbids are
// reported at that property's own pointer ("/email", keyword "required").
// When several keywords fail at one location, the most telling one is kept
// (the validator stops at the first of type, const, enum and format that
// fails); when no branch of a oneOf or anyOf matches, only the branch that
// came closest is reported. Input that is not JSON at all yields a plain
// error instead, so callers can tell the two apart.
//
// Messages are worded here, not by the underlying library, and read
// "expected <what the schema asks>, got <what was found>":
//
//	expected integer, got string
//	expected a number >= 0, got -1
//	expected at least 3 characters, got 2
//	expected a string matching "^[A-Z]{3}$", got "abc"
//	expected a valid email, got "x"
//	expected one of "admin", "user", got "root"
//
// except the two about properties: missing required property "email" and
// property "foo" is not allowed.
//
// # Bounded work
//
// Validation never takes more than a bounded amount of work: values nested
// deeper than [MaxDepth] are refused, and so are values whose check could
// exceed [StepsPerValue] steps per value plus [MaxSteps] (schemas whose
// anyOf/oneOf branches nest into more branches can otherwise take time
// exponential in their nesting). Both refusals match [ErrTooComplex]. The
// bound is worked out when the schema is compiled; ordinary schemas pay
// nothing for it at validation.
//
// # OpenRPC meta-schemas
//
// [OpenRPCDocument] validates a whole OpenRPC document against the
// embedded OpenRPC 1.3.2 meta-schema, and [MetaSchema] returns the
// validator for a given OpenRPC version (1.3.2 for 1.0.0-rc0 to 1.3.x, 1.4
// for 1.4.x). The meta-schemas are compiled with draft-07 semantics on first
// use.
//
// # Params shapes
//
// [Params] describes how a method takes its params (by name, none,
// variadic, or as sent) and [Params.Normalize] maps positional params onto
// names, so that one params schema (an object) checks both structures.
package validate
