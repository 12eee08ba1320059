package validate

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// A SchemaError is a schema that does not compile because of something at
// one place in it: a keyword of the wrong type, an invalid pattern, a
// reference that names nothing.
type SchemaError struct {
	// Resource is "" for the schema given to [Compile] and its components,
	// else the name of the [WithResource] document at fault.
	Resource string
	// Pointer is the RFC 6901 JSON pointer of the fault in that document:
	// "/properties/sku/pattern" in the schema, or
	// "/components/schemas/Sku/pattern" in a component of [WithComponents].
	Pointer string
	// Message says what is wrong, in the words of a [Violation] message.
	Message string
}

// Error returns "validate: schema at POINTER: MESSAGE".
func (e *SchemaError) Error() string {
	where := e.Pointer
	if where == "" {
		where = "(root)"
	}
	if e.Resource != "" {
		where = e.Resource + "#" + e.Pointer
	}
	return "validate: schema at " + where + ": " + e.Message
}

// compileError turns an error of the compiler into a *SchemaError where it
// can place it; doc is the root document (the schema and its components).
func compileError(err error, doc any) error {
	var sve *jsonschema.SchemaValidationError
	var rxe *jsonschema.InvalidRegexError
	var npe *jsonschema.JSONPointerNotFoundError
	var lue *jsonschema.LoadURLError
	var ane *jsonschema.AnchorNotFoundError
	switch {
	case errors.As(err, &rxe):
		res, ptr := splitURL(rxe.URL)
		if strings.HasSuffix(ptr, "/patternProperties") {
			ptr += "/" + escapeToken(rxe.Regex)
		}
		return &SchemaError{Resource: res, Pointer: ptr, Message: rxe.Err.Error()}
	case errors.As(err, &sve):
		res, ptr := splitURL(sve.URL)
		var ve *jsonschema.ValidationError
		if !errors.As(sve.Err, &ve) {
			break
		}
		vs := newError(ve).Violations
		msg := vs[0].Message
		if len(vs) > 1 {
			msg += fmt.Sprintf(" (and %d more)", len(vs)-1)
		}
		return &SchemaError{Resource: res, Pointer: ptr + vs[0].Pointer, Message: msg}
	case errors.As(err, &npe):
		return refError(doc, npe.URL, "reference %s names nothing")
	case errors.As(err, &ane):
		return refError(doc, ane.Reference, "reference %s names no anchor")
	case errors.As(err, &lue):
		return refError(doc, lue.URL, "reference %s leaves the schema: only the schema, its components and the documents given with WithResource are reachable")
	}
	s := err.Error()
	s = strings.ReplaceAll(s, rootURL+"#", "#")
	s = strings.ReplaceAll(s, rootURL, "#")
	s = strings.ReplaceAll(s, "schemarpc:///", "")
	return fmt.Errorf("validate: %s", s)
}

// refError reports a reference to target, placing it at the first "$ref"
// of the root document that names target, if any.
func refError(doc any, target, format string) error {
	res, ptr := splitURL(target)
	shown := "#" + ptr
	if res != "" {
		shown = res + shown
	}
	if !strings.HasPrefix(target, "schemarpc:///") {
		shown = target
	}
	e := &SchemaError{Message: fmt.Sprintf(format, shown)}
	if at, ok := findRef(doc, "", func(ref string) bool { return ref == shown || (res == "" && ref == "#"+ptr) }); ok {
		e.Pointer = at + "/$ref"
	}
	return e
}

// findRef returns the pointer of the first object (in a depth-first walk
// of doc, members in sorted order) whose "$ref" satisfies match.
func findRef(doc any, at string, match func(string) bool) (string, bool) {
	switch x := doc.(type) {
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok && match(ref) {
			return at, true
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if p, ok := findRef(x[k], at+"/"+escapeToken(k), match); ok {
				return p, true
			}
		}
	case []any:
		for i, v := range x {
			if p, ok := findRef(v, fmt.Sprintf("%s/%d", at, i), match); ok {
				return p, true
			}
		}
	}
	return "", false
}

// splitURL splits a schema location of the compiler into the resource
// name ("" for the root) and the JSON pointer of its fragment.
func splitURL(u string) (resource, ptr string) {
	base, frag, _ := strings.Cut(u, "#")
	if p, err := url.PathUnescape(frag); err == nil {
		frag = p
	}
	if base != rootURL {
		resource = resourceName(base)
	}
	return resource, frag
}
