// Package openrpcdiff compares two OpenRPC documents from the side of
// the callers of the old one, for CI: it is the library behind
// `schemarpc diff`. [Load] or [Read] a document (any version `validate`
// reads, 1.0.0-rc0 to 1.4, references to other files and recursive
// schemas included; package lint checks it on the way), then [Compare]
// two: each change is a [Finding] with a [Severity], a stable kind, the
// method, the JSON pointer (with line and column) in each document and a
// message.
//
// # Rules
//
// Params are what callers send: the new document must accept every call
// the old one accepted, so narrowing a param schema breaks and widening
// it does not. Results are what callers receive: the new document must
// not return what a client of the old one cannot read, so widening a
// result breaks and narrowing it does not. Shape changes of results (a
// type added, null included; a property removed or made optional; a new
// oneOf branch) are breaking, because typed decoders fail on them;
// changes of the range of values (an enum value added, a bound, pattern
// or format relaxed, additionalProperties opened) are warnings, because
// only clients that validate every value fail on them.
//
// An enum value added to a result is a warning, not breaking: adding
// values is how enum-valued results evolve (new transaction types, new
// statuses), and clients should treat unknown values as such, as
// protobuf's buf does; teams whose clients decode enums exhaustively run
// with --fail-on warning.
//
// Schemas are compared structurally after following $refs, so moving a
// schema into components or back, renaming a component or splitting a
// schema with allOf is no change. allOf is merged (types intersected,
// properties, required and bounds combined); oneOf and anyOf are split
// into branches, each with the rest of its schema, and compared branch
// by branch: an old branch pairs with the new branch it equals, else
// the one of the same component name or types, else the one left. A
// param branch that no new branch accepts is breaking; a result branch
// no old branch covers is breaking. Recursion is handled with a set of
// the pairs of schemas being compared; the pairs one method visits are
// bounded so that no pair of documents makes diff run long. Keywords
// diff does not model (not, if/then/else, patternProperties, tuples,
// dependencies…) are compared as written and a change is a warning.
// Annotations (title, description, examples, default, deprecated…) inside
// schemas are ignored.
//
// Params pair by name when both documents allow params by name, else by
// position; when calls by position are allowed, a param that moves, is
// inserted before others or is removed breaks positional calls. A method
// without a result is a notification: a method that becomes one, or
// stops being one, breaks its callers.
//
// Deprecation policy: deprecating a method is info; removing a method
// that OLD marked deprecated is a warning, not breaking — the
// deprecation was the notice. Removing any other method is breaking.
//
// # Kinds
//
// Each finding's kind is one of the following; the severity column says
// when a kind's severity varies. [Kinds] holds the same table.
//
//	method-removed                   breaking
//	deprecated-method-removed        warning
//	method-added                     info
//	method-deprecated                info
//	method-became-notification       breaking
//	method-became-request            breaking
//	param-structure-narrowed         breaking
//	param-structure-widened          info
//	param-removed                    breaking (warning when the method takes params by name only)
//	param-required-added             breaking
//	param-optional-added             info
//	param-became-required            breaking
//	param-became-optional            info
//	param-position-changed           breaking
//	param-renamed                    breaking (info when the method takes params by position only)
//	param-deprecated                 info
//	param-type-removed               breaking
//	param-type-added                 info
//	param-type-changed               breaking
//	param-enum-value-removed         breaking
//	param-enum-value-added           info
//	param-constraint-narrowed        breaking
//	param-constraint-widened         info
//	param-constraint-changed         warning
//	param-property-required-added    breaking
//	param-property-added             info
//	param-property-removed           breaking (warning when other properties are still allowed)
//	param-property-became-required   breaking
//	param-property-became-optional   info
//	param-properties-closed          breaking
//	param-properties-opened          info
//	param-branch-removed             breaking
//	param-branch-added               info
//	param-schema-changed             warning
//	result-type-added                breaking
//	result-type-removed              info
//	result-type-changed              breaking
//	result-enum-value-added          warning
//	result-enum-value-removed        info
//	result-constraint-widened        warning
//	result-constraint-narrowed       info
//	result-constraint-changed        warning
//	result-property-removed          breaking
//	result-property-added            info
//	result-property-became-optional  breaking
//	result-property-became-required  info
//	result-properties-opened         warning
//	result-properties-closed         info
//	result-branch-added              breaking
//	result-branch-removed            info
//	result-schema-changed            warning
//	error-removed                    warning
//	error-added                      info
//	doc-changed                      info
//	examples-changed                 info
//	schema-unresolved                warning
//	internal-error                   breaking
//	comparison-truncated             warning
//
// # Ignore files
//
// [ParseIgnore] reads the exceptions a team accepts on purpose, one
// "KIND METHOD REASON" a line, and [Apply] marks the findings they
// match; they are still shown, with the reason, and not counted.
package openrpcdiff
