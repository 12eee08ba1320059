package gen

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
	"github.com/schemarpc/schemarpc/lint"
)

// loaded is a document with every reference resolved: component schemas
// by name, every schema's references rewritten to
// "#/components/schemas/Name" (schemas in other files, or elsewhere in
// the document, become components too), and the methods with their
// content descriptors, errors and examples inlined.
type loaded struct {
	title   string
	comps   map[string]any // component name → schema
	order   []string       // component names, sorted
	methods []map[string]any
}

type loader struct {
	refs   *jsonptr.Resolver
	names  map[jsonptr.Location]string
	taken  map[string]bool
	comps  map[string]any
	queue  []jsonptr.Location
	values map[jsonptr.Location]any
	err    error
}

// load checks the document with lint.Check and refuses it when it has
// errors, then resolves it.
func load(ctx context.Context, data []byte, opts Options) (*loaded, error) {
	doc, findings, err := lint.Check(ctx, data, lint.Options{Name: opts.Name, BaseDir: opts.BaseDir})
	if err != nil {
		return nil, err
	}
	var errs []string
	for _, f := range findings {
		if f.Severity == lint.SeverityError {
			errs = append(errs, fmt.Sprintf("%s: %s", f.Location(), f.Message))
		}
	}
	if doc == nil || len(errs) > 0 {
		if len(errs) > 5 {
			errs = append(errs[:5], fmt.Sprintf("and %d more", len(errs)-5))
		}
		return nil, fmt.Errorf("%s is not a valid OpenRPC document (run schemarpc validate):\n  %s", opts.Name, strings.Join(errs, "\n  "))
	}
	v, err := lint.DecodeJSON(data)
	if err != nil {
		return nil, err
	}
	root := v.(map[string]any)
	display := ""
	if opts.Name != "" {
		display = path.Dir(opts.Name)
	}
	refs, err := jsonptr.NewResolver(root, opts.BaseDir, display, lint.DecodeJSON)
	if err != nil {
		return nil, err
	}
	defer refs.Close()
	l := &loader{refs: refs, names: map[jsonptr.Location]string{}, taken: map[string]bool{},
		comps: map[string]any{}, values: map[jsonptr.Location]any{}}
	out := &loaded{}
	if info, ok := root["info"].(map[string]any); ok {
		out.title, _ = info["title"].(string)
	}
	if c, ok := root["components"].(map[string]any); ok {
		if s, ok := c["schemas"].(map[string]any); ok {
			for _, k := range slices.Sorted(maps.Keys(s)) {
				loc := jsonptr.Location{Pointer: jsonptr.Append("/components/schemas", k)}
				l.names[loc] = k
				l.taken[k] = true
				l.values[loc] = s[k]
				l.queue = append(l.queue, loc)
			}
		}
	}
	ms, _ := root["methods"].([]any)
	for i, mv := range ms {
		m, file, ok := l.object("", mv)
		if !ok {
			return nil, fmt.Errorf("method %d: the reference does not resolve", i)
		}
		out.methods = append(out.methods, l.method(file, m))
	}
	for len(l.queue) > 0 {
		loc := l.queue[0]
		l.queue = l.queue[1:]
		l.comps[l.names[loc]] = l.schema(loc.File, l.values[loc])
	}
	if l.err != nil {
		return nil, l.err
	}
	out.comps = l.comps
	out.order = slices.Sorted(maps.Keys(l.comps))
	return out, nil
}

// object follows a chain of Reference Objects from file.
func (l *loader) object(file string, v any) (map[string]any, string, bool) {
	if ref, ok := jsonptr.RefOf(v); ok {
		t, loc, err := l.refs.Follow(file, ref, jsonptr.RefOf)
		if err != nil {
			l.fail(fmt.Errorf("%q does not resolve: %w", ref, err))
			return nil, "", false
		}
		m, ok := t.(map[string]any)
		return m, loc.File, ok
	}
	m, ok := v.(map[string]any)
	return m, file, ok
}

func (l *loader) fail(err error) {
	if l.err == nil {
		l.err = err
	}
}

// method inlines a method object's references.
func (l *loader) method(file string, m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	cd := func(v any) any {
		obj, f, ok := l.object(file, v)
		if !ok {
			return v
		}
		c := map[string]any{}
		for k, x := range obj {
			c[k] = x
		}
		if s, ok := obj["schema"]; ok {
			c["schema"] = l.schema(f, s)
		}
		return c
	}
	if ps, ok := m["params"].([]any); ok {
		np := []any{}
		for _, p := range ps {
			np = append(np, cd(p))
		}
		out["params"] = np
	}
	if r, ok := m["result"]; ok {
		out["result"] = cd(r)
	}
	if es, ok := m["errors"].([]any); ok {
		ne := []any{}
		for _, e := range es {
			if o, _, ok := l.object(file, e); ok {
				ne = append(ne, o)
			}
		}
		out["errors"] = ne
	}
	if xs, ok := m["examples"].([]any); ok {
		nx := []any{}
		for _, x := range xs {
			o, f, ok := l.object(file, x)
			if !ok {
				continue
			}
			c := map[string]any{}
			for k, v := range o {
				c[k] = v
			}
			if ps, ok := o["params"].([]any); ok {
				np := []any{}
				for _, p := range ps {
					if po, _, ok := l.object(f, p); ok {
						np = append(np, po)
					}
				}
				c["params"] = np
			}
			if r, ok := o["result"]; ok {
				if ro, _, ok := l.object(f, r); ok {
					c["result"] = ro
				}
			}
			nx = append(nx, c)
		}
		out["examples"] = nx
	}
	if ts, ok := m["tags"].([]any); ok {
		nt := []any{}
		for _, t := range ts {
			if o, _, ok := l.object(file, t); ok {
				nt = append(nt, o)
			}
		}
		out["tags"] = nt
	}
	delete(out, "servers")
	delete(out, "links")
	delete(out, "externalDocs")
	return out
}

// schema copies s (of file), rewriting every reference to
// "#/components/schemas/Name".
func (l *loader) schema(file string, s any) any {
	switch x := s.(type) {
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = l.schema(file, e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, v := range x {
			switch {
			case k == "$ref":
				if ref, ok := v.(string); ok {
					out[k] = "#/components/schemas/" + l.component(file, ref)
					continue
				}
				out[k] = v
			case k == "const" || k == "enum" || k == "default" || k == "examples" || k == "example" || strings.HasPrefix(k, "x-"):
				out[k] = v
			case k == "properties" || k == "patternProperties" || k == "$defs" || k == "definitions" || k == "dependentSchemas":
				if m, ok := v.(map[string]any); ok {
					pm := make(map[string]any, len(m))
					for pk, pv := range m {
						pm[pk] = l.schema(file, pv)
					}
					out[k] = pm
					continue
				}
				out[k] = v
			default:
				out[k] = l.schema(file, v)
			}
		}
		return out
	}
	return s
}

// component returns the component name for the target of ref.
func (l *loader) component(file, ref string) string {
	v, loc, err := l.refs.Lookup(file, ref)
	if err != nil {
		l.fail(fmt.Errorf("%q does not resolve: %w", ref, err))
		return "Unresolved"
	}
	if n, ok := l.names[loc]; ok {
		return n
	}
	toks, _ := jsonptr.Parse(loc.Pointer)
	base := "Schema"
	if len(toks) > 0 {
		base = toks[len(toks)-1]
	} else if loc.File != "" {
		base = strings.TrimSuffix(path.Base(loc.File), path.Ext(loc.File))
	}
	base = componentKey(base)
	n := base
	for i := 2; l.taken[n]; i++ {
		n = fmt.Sprintf("%s%d", base, i)
	}
	l.taken[n] = true
	l.names[loc] = n
	l.values[loc] = v
	l.queue = append(l.queue, loc)
	return n
}

// componentKey makes s match ^[a-zA-Z0-9._-]+$.
func componentKey(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "Schema"
	}
	return string(b)
}
