package openrpcdiff

// A KindInfo describes a kind of finding.
type KindInfo struct {
	// Kind is the stable identifier.
	Kind string
	// Severity is the kind's severity; Alt, when not empty, says when a
	// finding of the kind has another one.
	Severity Severity
	Alt      string
	// Meaning says what the kind reports.
	Meaning string
}

// Kinds lists every kind of finding, the table the package
// documentation and the README reproduce. Kinds are stable: a kind is
// never renamed nor given another meaning.
var Kinds = []KindInfo{
	{"method-removed", Breaking, "", "a method of OLD is missing from NEW (a rename is a removal; the message names a method added with the same signature)"},
	{"deprecated-method-removed", Warning, "", "a method deprecated in OLD was removed: the deprecation policy"},
	{"method-added", Info, "", "a method was added"},
	{"method-deprecated", Info, "", "a method is now deprecated"},
	{"method-became-notification", Breaking, "", "the result was removed: callers waiting for a response get none"},
	{"method-became-request", Breaking, "", "a notification (no result) now has a result"},
	{"param-structure-narrowed", Breaking, "", "paramStructure no longer accepts params by name, or by position, as OLD did"},
	{"param-structure-widened", Info, "", "paramStructure accepts more (by-name or by-position became either)"},
	{"param-removed", Breaking, "warning when the method takes params by name only", "a param was removed"},
	{"param-required-added", Breaking, "", "a new required param"},
	{"param-optional-added", Info, "", "a new optional param"},
	{"param-became-required", Breaking, "", "an optional param became required"},
	{"param-became-optional", Info, "", "a required param became optional"},
	{"param-position-changed", Breaking, "", "a param moved (reordered, or one inserted or removed before it) in a method taking params by position"},
	{"param-renamed", Breaking, "info when the method takes params by position only", "a param was renamed in place, same schema"},
	{"param-deprecated", Info, "", "a param is now deprecated"},
	{"param-type-removed", Breaking, "", "a param (or a part of it) no longer accepts a type"},
	{"param-type-added", Info, "", "a param accepts a new type"},
	{"param-type-changed", Breaking, "", "a param's types were replaced by others"},
	{"param-enum-value-removed", Breaking, "", "a param no longer accepts an enum (or const) value"},
	{"param-enum-value-added", Info, "", "a param accepts a new enum value"},
	{"param-constraint-narrowed", Breaking, "", "minimum/maximum/length/items/properties bounds, pattern, format, multipleOf, uniqueItems or an enum added: fewer values accepted"},
	{"param-constraint-widened", Info, "", "the same constraints relaxed or removed"},
	{"param-constraint-changed", Warning, "", "a pattern, format or multipleOf was replaced: diff cannot tell which values still pass"},
	{"param-property-required-added", Breaking, "", "a new required property"},
	{"param-property-added", Info, "", "a new optional property"},
	{"param-property-removed", Breaking, "warning when other properties are still allowed", "a property was removed"},
	{"param-property-became-required", Breaking, "", "a property became required"},
	{"param-property-became-optional", Info, "", "a property became optional"},
	{"param-properties-closed", Breaking, "", "additionalProperties became false"},
	{"param-properties-opened", Info, "", "additionalProperties false was lifted"},
	{"param-branch-removed", Breaking, "", "a oneOf/anyOf branch was removed and no other branch accepts its values"},
	{"param-branch-added", Info, "", "a oneOf/anyOf branch was added"},
	{"param-schema-changed", Warning, "", "a keyword diff does not model (not, if/then/else, patternProperties, tuples…) changed"},
	{"result-type-added", Breaking, "", "the result (or a part of it) may be of a new type, null included"},
	{"result-type-removed", Info, "", "the result is no longer of some type"},
	{"result-type-changed", Breaking, "", "the result's types were replaced by others"},
	{"result-enum-value-added", Warning, "", "the result may hold a new enum value, or its enum was lifted (see the policy)"},
	{"result-enum-value-removed", Info, "", "the result no longer holds some enum value"},
	{"result-constraint-widened", Warning, "", "a bound, pattern, format, multipleOf or uniqueItems of the result was relaxed: validating clients reject new values"},
	{"result-constraint-narrowed", Info, "", "the same constraints tightened"},
	{"result-constraint-changed", Warning, "", "a pattern, format or multipleOf of the result was replaced"},
	{"result-property-removed", Breaking, "", "a property of the result was removed"},
	{"result-property-added", Info, "", "a property of the result was added"},
	{"result-property-became-optional", Breaking, "", "a required property of the result may now be missing"},
	{"result-property-became-required", Info, "", "an optional property of the result is now always present"},
	{"result-properties-opened", Warning, "", "additionalProperties false was lifted on the result"},
	{"result-properties-closed", Info, "", "additionalProperties became false on the result"},
	{"result-branch-added", Breaking, "", "a oneOf/anyOf branch of the result was added that no old branch covers"},
	{"result-branch-removed", Info, "", "a oneOf/anyOf branch of the result was removed"},
	{"result-schema-changed", Warning, "", "a keyword diff does not model changed in the result"},
	{"error-removed", Warning, "", "a declared error code was removed: callers that branch on it may need to change"},
	{"error-added", Info, "", "a declared error code was added"},
	{"doc-changed", Info, "", "summary, description, tags or externalDocs of a method, param or result changed"},
	{"examples-changed", Info, "", "a method's examples changed"},
	{"schema-unresolved", Warning, "", "a $ref does not resolve on one side, so the schemas could not be compared"},
	{"internal-error", Breaking, "", "diff itself failed on the documents: a bug to report"},
	{"comparison-truncated", Warning, "", "the schemas were too large to compare completely"},
}

// KnownKind reports whether kind is one of [Kinds].
func KnownKind(kind string) bool {
	for _, k := range Kinds {
		if k.Kind == kind {
			return true
		}
	}
	return false
}
