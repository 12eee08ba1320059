package validate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// CompileEach compiles each of schemas with the same options, as [Compile]
// would one by one, and returns one Validator or one error per schema.
//
// The schemas are compiled together, so what they share (the components
// of [WithComponents], the documents of [WithResource]) is parsed and
// compiled once rather than once per schema: use it to compile the params
// and result schemas of a whole OpenRPC document, whose methods usually
// refer to the same large set of components. A schema that declares
// "$schema" or "$id", or that has a reference into itself other than to
// the components, is compiled on its own, exactly as Compile does.
func CompileEach(schemas [][]byte, opts ...Option) ([]*Validator, []error) {
	var cfg config
	for _, opt := range opts {
		opt(&cfg)
	}
	vs := make([]*Validator, len(schemas))
	errs := make([]error, len(schemas))
	var shared []int // indexes of the schemas compiled together
	var docs []any
	for i, s := range schemas {
		doc, err := decode(s)
		if err != nil {
			errs[i] = fmt.Errorf("validate: schema: %w", err)
			continue
		}
		if standsAlone(doc) {
			vs[i], errs[i] = compile(s, cfg)
			continue
		}
		shared = append(shared, i)
		docs = append(docs, doc)
	}
	var comps any // decoded once, for the fast checkers
	if cfg.components != nil {
		comps, _ = decode(cfg.components) // an error shows when compiling
	}
	var c *jsonschema.Compiler
	// The schemas compiled together share their cost analysis: it is
	// worked out once for all of them, after they all compiled.
	var together []int
	var roots []*jsonschema.Schema
	var fasts []*fastNode
	for k, i := range shared {
		if c == nil {
			var err error
			if c, err = sharedCompiler(docs, cfg); err != nil {
				c = nil
				vs[i], errs[i] = compile(schemas[i], cfg)
				continue
			}
		}
		s, err := c.Compile(rootURL + "#/x-schemas/" + strconv.Itoa(k))
		if err == nil {
			together = append(together, i)
			roots = append(roots, s)
			fasts = append(fasts, buildFast(withComponents(docs[k], comps), cfg.draft7))
			continue
		}
		// A compiler is never used again after a failed compile: the
		// schemas that follow get a fresh one. This schema is compiled
		// alone, for the error as Compile words it.
		c = nil
		vs[i], errs[i] = compile(schemas[i], cfg)
	}
	for j, m := range newCostModels(roots) {
		vs[together[j]] = newValidator(roots[j], fasts[j], m)
	}
	return vs, errs
}

// withComponents returns schema as compile sees it when it builds the fast
// checker: an object schema gets the components under "components", so
// that the fast checker resolves "#/components/schemas/Name" alike.
func withComponents(schema, comps any) any {
	obj, ok := schema.(map[string]any)
	if !ok || comps == nil {
		return schema
	}
	out := make(map[string]any, len(obj)+1)
	for k, v := range obj {
		out[k] = v
	}
	out["components"] = map[string]any{"schemas": comps}
	return out
}

// sharedCompiler returns a compiler holding one resource with the
// components and, under "x-schemas", the schemas docs.
func sharedCompiler(docs []any, cfg config) (*jsonschema.Compiler, error) {
	root := map[string]any{"x-schemas": docs}
	if cfg.components != nil {
		comps, err := decode(cfg.components)
		if err != nil {
			return nil, err
		}
		root["components"] = map[string]any{"schemas": comps}
	}
	return newCompiler(root, cfg)
}

// standsAlone reports whether schema must be compiled as a resource of its
// own: it declares "$schema" or "$id", or refers into itself other than to
// "#/components/".
func standsAlone(schema any) bool {
	switch x := schema.(type) {
	case map[string]any:
		if _, ok := x["$schema"]; ok {
			return true
		}
		if _, ok := x["$id"]; ok {
			return true
		}
		for _, k := range []string{"$ref", "$dynamicRef", "$recursiveRef"} {
			if ref, ok := x[k].(string); ok && strings.HasPrefix(ref, "#") && !strings.HasPrefix(ref, "#/components/") {
				return true
			}
		}
		for k, v := range x {
			if k == "const" || k == "enum" || k == "default" || k == "examples" {
				continue
			}
			if standsAlone(v) {
				return true
			}
		}
	case []any:
		for _, v := range x {
			if standsAlone(v) {
				return true
			}
		}
	}
	return false
}
