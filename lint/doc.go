// Package lint checks OpenRPC documents, and JSON-RPC 2.0 payloads against
// them, the way a linter does: it reports every problem as a [Finding] a
// person can act on, with the file, the line or batch index, the method,
// the JSON pointer, the rule that failed, a message and, where the fix is
// clear, a hint.
//
// It is the library behind `schemarpc validate`. JSON Schema compilation
// and validation come from package validate, and params are normalised
// and validated exactly as package server does at run time, so that what
// passes here passes there.
//
// # Documents
//
// [Check] and [CheckFile] accept every published OpenRPC version:
// 1.0.0-rc0 to 1.3.x are validated against the OpenRPC 1.3.2 meta-schema,
// 1.4.x against the 1.4 meta-schema; another version is a finding. On top
// of the meta-schema they check what it cannot express:
//
//   - the file is JSON (else one finding with line and column);
//   - URLs and e-mail addresses of the info object have their format; a
//     server URL may hold {variables} and be relative, as the
//     specification allows;
//   - method names are unique, and param names unique per method;
//   - required params precede optional ones;
//   - every $ref resolves: inside the document, or in another file
//     relative to the document's own location (RFC 3986; a missing file is
//     a finding; remote references are not fetched). JSON pointers and
//     references are resolved by internal/jsonptr, which docgen shares;
//   - every params and result schema compiles (JSON Schema draft 2020-12
//     as the server uses, or draft-07, which OpenRPC up to 1.3 follows,
//     when draft 2020-12 rejects the schema);
//   - every example matches its schema: an example's params pair with the
//     method's params by position, as the specification orders them (an
//     Example Object's name is the example's own).
//
// # Severities
//
// Every [Finding] has a [Severity]. An error is a document that breaks
// the meta-schema of its version or a MUST of the specification
// (duplicate method or param names, a required param after an optional
// one, a $ref that names nothing, a schema that does not compile, an
// invalid pattern), or a payload that breaks the document or whose
// params are too complex to check (a schemarpc server refuses them). A
// warning is a document that is valid but probably wrong: an example that
// contradicts its schema or is too complex to check, an unknown format,
// a server URL that is not a URL even with its variables replaced; or a
// response result too complex to check.
//
// When a oneOf of the meta-schema fails, only the branch that came closest
// is reported, and misplaced or misspelt members get a hint: a JSON Schema
// keyword written on a content descriptor is to be moved under "schema", a
// misspelt member is matched to the nearest known one. Recursive schemas
// are fine: references are checked, never expanded.
//
// Check takes a context and returns its error, with no findings, when the
// context is done before the check ends.
//
// # Payloads
//
// [Document.Payloads] returns a [PayloadChecker], which reads requests,
// notifications, responses and batches, one JSON value or many (JSON
// Lines, or pretty-printed values one after the other) as a stream of
// bounded memory, and checks them against the document:
//
//   - a request's method exists;
//   - its params, by name (an object) or by position (an array mapped onto
//     the declared param names in order), satisfy the method's params, as
//     the server checks them; paramStructure is enforced, and a method
//     whose "x-variadic" extension names its only param takes an array of
//     that param's schema;
//   - a response's result satisfies the result schema, and an error code
//     is a standard one or declared by the method, when the request with
//     its id was seen earlier in the same inputs.
//
// A newline always ends a line of JSON Lines, even inside a string, so a
// line cut short is one finding and hides nothing after it. Values are
// checked in parallel on every processor and reported in input order;
// the check stops when its context is done.
package lint
