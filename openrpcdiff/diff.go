package openrpcdiff

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
)

// A methodDecl is a method of a document, its references followed.
type methodDecl struct {
	name      string
	obj       map[string]any
	file, ptr string
	params    []paramDecl
	structure string // by-name, by-position or either
	result    *paramDecl
	errors    map[string]Location // code → where declared
	errMsg    map[string]string
}

type paramDecl struct {
	name     string
	required bool
	obj      map[string]any
	loc      Location
	schema   src
}

// follow resolves v, at file#ptr, when it is a Reference Object.
func (d *Document) follow(v any, file, ptr string) (map[string]any, string, string) {
	if ref, ok := jsonptr.RefOf(v); ok {
		t, loc, err := d.refs.Follow(file, ref, jsonptr.RefOf)
		if err != nil {
			return nil, file, ptr
		}
		obj, _ := t.(map[string]any)
		return obj, loc.File, loc.Pointer
	}
	obj, _ := v.(map[string]any)
	return obj, file, ptr
}

func (d *Document) methods() []*methodDecl {
	raw, _ := d.root["methods"].([]any)
	var out []*methodDecl
	seen := map[string]bool{}
	for i, v := range raw {
		obj, file, ptr := d.follow(v, "", fmt.Sprintf("/methods/%d", i))
		name, _ := obj["name"].(string)
		if obj == nil || name == "" || seen[name] {
			continue // validate reports these
		}
		seen[name] = true
		m := &methodDecl{name: name, obj: obj, file: file, ptr: ptr, structure: "either",
			errors: map[string]Location{}, errMsg: map[string]string{}}
		if s, ok := obj["paramStructure"].(string); ok {
			m.structure = s
		}
		ps, _ := obj["params"].([]any)
		for j, p := range ps {
			m.params = append(m.params, d.descriptor(p, file, jsonptr.Append(ptr, "params", fmt.Sprint(j))))
		}
		if r, ok := obj["result"]; ok && r != nil {
			pd := d.descriptor(r, file, jsonptr.Append(ptr, "result"))
			m.result = &pd
		}
		es, _ := obj["errors"].([]any)
		for j, e := range es {
			eo, ef, ep := d.follow(e, file, jsonptr.Append(ptr, "errors", fmt.Sprint(j)))
			if code, ok := eo["code"]; ok {
				k := canonical(code)
				m.errors[k] = Location{File: ef, Pointer: ep}
				m.errMsg[k], _ = eo["message"].(string)
			}
		}
		out = append(out, m)
	}
	return out
}

func (d *Document) descriptor(v any, file, ptr string) paramDecl {
	obj, f, p := d.follow(v, file, ptr)
	pd := paramDecl{obj: obj, loc: Location{File: f, Pointer: p}}
	pd.name, _ = obj["name"].(string)
	pd.required, _ = obj["required"].(bool)
	s, ok := obj["schema"]
	if !ok {
		s = true
	}
	pd.schema = src{v: s, file: f, ptr: jsonptr.Append(p, "schema")}
	return pd
}

// Compare returns the changes from old to new, as seen by callers of
// old, sorted by method (methods of old in order, then those added) and
// location. Equal documents, or documents that differ only in how their
// schemas are split into components, have no findings.
//
// Compare never panics: a bug met on some input is one finding of kind
// "internal-error", breaking so that CI does not pass unseen.
func Compare(old, new *Document) (findings []Finding) {
	c := &comparer{old: old, new: new, oldFlat: map[string]*flat{}, newFlat: map[string]*flat{}}
	defer func() {
		if p := recover(); p != nil {
			findings = append(c.findings, Finding{Severity: Breaking, Kind: "internal-error", Method: c.method,
				Message: fmt.Sprintf("diff failed on these documents (%v); please report it with both documents", p)})
		}
		oldLines, newLines := jsonptr.NewLines(old.data), jsonptr.NewLines(new.data)
		for k := range findings {
			f := &findings[k]
			if f.Old.File == "" {
				f.Old.Line, f.Old.Column = positionOf(oldLines, f.Old.Pointer)
			}
			if f.New.File == "" {
				f.New.Line, f.New.Column = positionOf(newLines, f.New.Pointer)
			}
		}
	}()
	oms, nms := old.methods(), new.methods()
	byName := map[string]*methodDecl{}
	for _, m := range nms {
		byName[m.name] = m
	}
	inOld := map[string]bool{}
	var removed, added []*methodDecl
	for _, om := range oms {
		inOld[om.name] = true
		if nm, ok := byName[om.name]; ok {
			c.compareMethod(om, nm)
		} else {
			removed = append(removed, om)
		}
	}
	for _, nm := range nms {
		if !inOld[nm.name] {
			added = append(added, nm)
		}
	}
	for _, om := range removed {
		c.method = om.name
		hint := ""
		for _, nm := range added {
			if c.sameSignature(om, nm) {
				hint = fmt.Sprintf("; %s, added with the same params and result, may be its new name", nm.name)
				break
			}
		}
		ol := Location{File: om.file, Pointer: om.ptr}
		if deprecated(om.obj) {
			c.report(Warning, "deprecated-method-removed", "", ol, Location{Pointer: "/methods"},
				"method %s, deprecated in the old document, was removed%s", om.name, hint)
		} else {
			c.report(Breaking, "method-removed", "", ol, Location{Pointer: "/methods"},
				"method %s was removed: callers get \"method not found\"%s", om.name, hint)
		}
	}
	for _, nm := range added {
		c.method = nm.name
		c.report(Info, "method-added", "", Location{Pointer: "/methods"}, Location{File: nm.file, Pointer: nm.ptr}, "method %s was added", nm.name)
	}
	return c.findings
}

// positionOf returns the position of the value ptr points to, or of the
// nearest value that encloses it there (for a container that is absent).
func positionOf(lines *jsonptr.Lines, ptr string) (line, column int) {
	for {
		if line, column = lines.Position(ptr); line > 0 || ptr == "" {
			return line, column
		}
		ptr = ptr[:strings.LastIndexByte(ptr, '/')]
	}
}

func deprecated(obj map[string]any) bool {
	b, _ := obj["deprecated"].(bool)
	return b
}

// sameSignature reports whether two methods take and return the same.
func (c *comparer) sameSignature(a, b *methodDecl) bool {
	if len(a.params) != len(b.params) || (a.result == nil) != (b.result == nil) {
		return false
	}
	for i := range a.params {
		if a.params[i].name != b.params[i].name || a.params[i].required != b.params[i].required ||
			c.trialCompare(c.flatten(c.old, []src{a.params[i].schema}, ""), c.flatten(c.new, []src{b.params[i].schema}, ""), params) >= 0 {
			return false
		}
	}
	return a.result == nil ||
		c.trialCompare(c.flatten(c.old, []src{a.result.schema}, ""), c.flatten(c.new, []src{b.result.schema}, ""), results) < 0
}

func (c *comparer) compareMethod(om, nm *methodDecl) {
	c.method = om.name
	c.visited = map[[2]string]bool{}
	c.steps, c.truncated = 0, false
	ol, nl := Location{File: om.file, Pointer: om.ptr}, Location{File: nm.file, Pointer: nm.ptr}
	at := func(l Location, k ...string) Location {
		return Location{File: l.File, Pointer: jsonptr.Append(l.Pointer, k...)}
	}

	if !deprecated(om.obj) && deprecated(nm.obj) {
		c.report(Info, "method-deprecated", "", at(ol), at(nl, "deprecated"), "method %s is now deprecated", nm.name)
	}
	c.compareDocs(om.obj, nm.obj, "", ol, nl, "method")

	// Notifications and requests.
	switch {
	case om.result != nil && nm.result == nil:
		c.report(Breaking, "method-became-notification", "result", om.result.loc, nl,
			"the method no longer has a result: it is a notification now, and callers waiting for a response get none")
	case om.result == nil && nm.result != nil:
		c.report(Breaking, "method-became-request", "result", ol, nm.result.loc,
			"the method was a notification and now has a result: callers that send it as a notification get nothing back and miss errors")
	case om.result != nil:
		c.compareDocs(om.result.obj, nm.result.obj, "result", om.result.loc, nm.result.loc, "result")
		c.compareSchemas([]src{om.result.schema}, []src{nm.result.schema}, results, "result")
	}

	c.compareParams(om, nm, ol, nl)

	for _, code := range slices.Sorted(maps.Keys(om.errors)) {
		if _, ok := nm.errors[code]; !ok {
			c.report(Warning, "error-removed", "errors", om.errors[code], at(nl, "errors"),
				"error %s (%s) is no longer declared: callers that branch on it may need to change", code, om.errMsg[code])
		}
	}
	for _, code := range slices.Sorted(maps.Keys(nm.errors)) {
		if _, ok := om.errors[code]; !ok {
			c.report(Info, "error-added", "errors", at(ol, "errors"), nm.errors[code], "error %s (%s) is newly declared", code, nm.errMsg[code])
		}
	}
	if canonical(om.obj["examples"]) != canonical(nm.obj["examples"]) {
		c.report(Info, "examples-changed", "", at(ol, "examples"), at(nl, "examples"), "the examples changed")
	}
}

// compareDocs reports documentation members that changed.
func (c *comparer) compareDocs(o, n map[string]any, path string, ol, nl Location, what string) {
	var changed []string
	for _, k := range []string{"summary", "description", "tags", "externalDocs"} {
		if canonical(o[k]) != canonical(n[k]) {
			changed = append(changed, k)
		}
	}
	if len(changed) > 0 {
		c.report(Info, "doc-changed", path, ol, nl, "the %s's %s changed", what, strings.Join(changed, " and "))
	}
}

func byPosition(s string) bool { return s != "by-name" }
func byName(s string) bool     { return s != "by-position" }

func (c *comparer) compareParams(om, nm *methodDecl, ol, nl Location) {
	at := func(l Location, k ...string) Location {
		return Location{File: l.File, Pointer: jsonptr.Append(l.Pointer, k...)}
	}
	pos := byPosition(om.structure) && byPosition(nm.structure)
	named := byName(om.structure) && byName(nm.structure)
	switch {
	case (byPosition(om.structure) && !byPosition(nm.structure)) || (byName(om.structure) && !byName(nm.structure)):
		c.report(Breaking, "param-structure-narrowed", "paramStructure", at(ol), at(nl, "paramStructure"),
			"paramStructure changed from %s to %s: callers passing params %s are rejected", om.structure, nm.structure, lost(om.structure, nm.structure))
	case om.structure != nm.structure:
		c.report(Info, "param-structure-widened", "paramStructure", at(ol), at(nl, "paramStructure"),
			"paramStructure changed from %s to %s", om.structure, nm.structure)
	}
	if !pos && !named {
		return // no call of the old document is valid anyway
	}
	type match struct{ o, n int }
	var pairs []match
	oldLeft := map[int]bool{}
	newLeft := map[int]bool{}
	for i := range om.params {
		oldLeft[i] = true
	}
	for j := range nm.params {
		newLeft[j] = true
	}
	if named {
		idx := map[string]int{}
		for j := len(nm.params) - 1; j >= 0; j-- { // the first of duplicate names
			idx[nm.params[j].name] = j
		}
		for i, p := range om.params {
			if j, ok := idx[p.name]; ok && newLeft[j] {
				pairs = append(pairs, match{i, j})
				delete(oldLeft, i)
				delete(newLeft, j)
			}
		}
		// A param renamed in place (or a duplicate name, which validate
		// reports).
		for i := range om.params {
			if oldLeft[i] && newLeft[i] && om.params[i].name == nm.params[i].name {
				pairs = append(pairs, match{i, i})
				delete(oldLeft, i)
				delete(newLeft, i)
				continue
			}
			if oldLeft[i] && newLeft[i] && pos &&
				c.trialCompare(c.flatten(c.old, []src{om.params[i].schema}, ""), c.flatten(c.new, []src{nm.params[i].schema}, ""), params) < 0 {
				c.report(Breaking, "param-renamed", paramPath(om.params[i].name), om.params[i].loc, nm.params[i].loc,
					"param %q was renamed to %q: callers passing params by name are rejected", om.params[i].name, nm.params[i].name)
				pairs = append(pairs, match{i, i})
				delete(oldLeft, i)
				delete(newLeft, i)
			}
		}
	} else {
		for i := range min(len(om.params), len(nm.params)) {
			pairs = append(pairs, match{i, i})
			delete(oldLeft, i)
			delete(newLeft, i)
			if om.params[i].name != nm.params[i].name {
				c.report(Info, "param-renamed", paramPath(om.params[i].name), om.params[i].loc, nm.params[i].loc,
					"param %q was renamed to %q (params are passed by position only)", om.params[i].name, nm.params[i].name)
			}
		}
	}
	for _, i := range sortedInts(oldLeft) {
		p := om.params[i]
		if pos {
			c.report(Breaking, "param-removed", paramPath(p.name), p.loc, at(nl, "params"),
				"param %q was removed: callers passing params by position send one too many, or shift the rest", p.name)
		} else {
			c.report(Warning, "param-removed", paramPath(p.name), p.loc, at(nl, "params"),
				"param %q was removed: callers that still send it are rejected by servers that refuse unknown params", p.name)
		}
	}
	lastOld := len(om.params) - 1
	for _, j := range sortedInts(newLeft) {
		p := nm.params[j]
		switch {
		case p.required:
			c.report(Breaking, "param-required-added", paramPath(p.name), at(ol, "params"), p.loc,
				"new required param %q: callers of the old document do not send it", p.name)
		default:
			c.report(Info, "param-optional-added", paramPath(p.name), at(ol, "params"), p.loc, "new optional param %q", p.name)
		}
	}
	slices.SortFunc(pairs, func(a, b match) int { return cmp.Compare(a.o, b.o) })
	for _, pr := range pairs {
		op, np := om.params[pr.o], nm.params[pr.n]
		path := paramPath(op.name)
		if pos && pr.o != pr.n && pr.o <= lastOld {
			c.report(Breaking, "param-position-changed", path, op.loc, np.loc,
				"param %q moved from position %d to %d: callers passing params by position pass the wrong values", op.name, pr.o, pr.n)
		}
		switch {
		case !op.required && np.required:
			c.report(Breaking, "param-became-required", path, op.loc, np.loc, "param %q is now required: callers that leave it out are rejected", op.name)
		case op.required && !np.required:
			c.report(Info, "param-became-optional", path, op.loc, np.loc, "param %q is now optional", op.name)
		}
		c.compareDocs(op.obj, np.obj, path, op.loc, np.loc, "param")
		if !deprecated(op.obj) && deprecated(np.obj) {
			c.report(Info, "param-deprecated", path, op.loc, np.loc, "param %q is now deprecated", op.name)
		}
		c.compareSchemas([]src{op.schema}, []src{np.schema}, params, path)
	}
}

func lost(o, n string) string {
	if byPosition(o) && !byPosition(n) {
		return "by position"
	}
	return "by name"
}

func paramPath(name string) string { return fmt.Sprintf("param %q", name) }

func sortedInts(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
