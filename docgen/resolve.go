package docgen

import (
	"encoding/json"
	"fmt"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
)

// Member returns the value of member name, so that JSON pointers resolve
// through ordered objects.
func (o *object) Member(name string) (any, bool) {
	if o == nil {
		return nil, false
	}
	v, ok := o.vals[name]
	return v, ok
}

// resolver resolves $refs with the resolver package lint uses too, and
// reports each distinct problem once through warn.
type resolver struct {
	refs *jsonptr.Resolver
	warn func(string)
	seen map[string]bool
}

func newResolver(main any, baseDir string, warn func(string)) (*resolver, error) {
	refs, err := jsonptr.NewResolver(main, baseDir, "", decodeJSON)
	if err != nil {
		return nil, fmt.Errorf("docgen: %w", err)
	}
	return &resolver{refs: refs, warn: warn, seen: map[string]bool{}}, nil
}

func (r *resolver) close() { r.refs.Close() }

// warnf reports a warning once per distinct message.
func (r *resolver) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if r.seen[msg] {
		return
	}
	r.seen[msg] = true
	if r.warn != nil {
		r.warn(msg)
	}
}

// lookup resolves ref as written in file from and returns the value and its
// location.
func (r *resolver) lookup(from, ref string) (any, jsonptr.Location, error) {
	return r.refs.Lookup(from, ref)
}

// refOf returns the $ref string of v, if v is a reference object.
func refOf(v any) (string, bool) {
	o, ok := v.(*object)
	if !ok {
		return "", false
	}
	s, ok := o.get("$ref").(string)
	return s, ok
}

// deref follows reference objects (non-schema objects such as content
// descriptors, errors, examples, tags and methods) until it reaches a value
// that is not a reference. It returns the value and the file it lives in.
// When a reference cannot be resolved it warns, returns a nil value and a
// human-readable note ("unresolved $ref ...").
func (r *resolver) deref(v any, from string, what string) (any, string, string) {
	ref, ok := refOf(v)
	if !ok {
		return v, from, ""
	}
	nv, loc, err := r.refs.Follow(from, ref, refOf)
	if err != nil {
		r.warnf("unresolved $ref %q (%s): %v", ref, what, err)
		return nil, from, "unresolved $ref " + ref
	}
	return nv, loc.File, ""
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case *object:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
