package openrpcdiff

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// side tells which way values flow: params are what callers send (the
// new document must accept all the old one did), results what they
// receive (the new document must not produce what the old one did not).
type side uint8

const (
	params side = iota
	results
)

func (s side) prefix() string {
	if s == params {
		return "param"
	}
	return "result"
}

// maxSteps bounds the schema pairs one method's comparison visits, so a
// hostile pair of documents cannot make it run long.
const maxSteps = 200_000

// trialSteps bounds a trial comparison, used to pair union branches.
const trialSteps = 2_000

type comparer struct {
	old, new  *Document
	method    string
	findings  []Finding
	visited   map[[2]string]bool
	parent    *comparer // of a trial: pairs it is comparing count as visited
	steps     int
	truncated bool
	oldFlat   map[string]*flat
	newFlat   map[string]*flat
	trial     bool
}

func (c *comparer) cacheFor(d *Document) map[string]*flat {
	if d == c.old {
		return c.oldFlat
	}
	return c.newFlat
}

// report records a finding of the method being compared.
func (c *comparer) report(sev Severity, kind, path string, old, new Location, format string, args ...any) {
	c.findings = append(c.findings, Finding{Severity: sev, Kind: kind, Method: c.method, Path: path,
		Old: old, New: new, Message: fmt.Sprintf(format, args...)})
}

// worst returns the most serious severity among findings, or -1.
func worst(fs []Finding) int {
	w := -1
	for _, f := range fs {
		w = max(w, int(f.Severity))
	}
	return w
}

// trialCompare compares two schemas aside, returning the most serious
// severity found (-1: no change at all).
func (c *comparer) trialCompare(o, n *flat, sd side) int {
	if c.steps >= maxSteps {
		return int(Breaking) // out of budget: assume the worst
	}
	t := &comparer{old: c.old, new: c.new, method: c.method, visited: map[[2]string]bool{}, parent: c,
		steps: maxSteps - trialSteps, oldFlat: c.oldFlat, newFlat: c.newFlat, trial: true}
	t.compareFlat(o, n, sd, "")
	for p := c; p != nil; p = p.parent {
		p.steps += t.steps - (maxSteps - trialSteps) // trials count against the method's budget
	}
	if t.truncated {
		return int(Breaking)
	}
	return worst(t.findings)
}

// compareSchemas compares the conjunctions old and new.
func (c *comparer) compareSchemas(old, new []src, sd side, path string) {
	c.compareFlat(c.flatten(c.old, old, ""), c.flatten(c.new, new, ""), sd, path)
}

// branchesOf returns the branches of f's union, each with the rest of
// its conjunction, or f alone.
func (c *comparer) branchesOf(d *Document, f *flat) []*flat {
	if f.union == "" {
		return []*flat{f}
	}
	out := make([]*flat, len(f.branches))
	for i, b := range f.branches {
		out[i] = c.flatten(d, append(slices.Clone(f.srcs), b), f.drops+"\n"+f.unionID)
	}
	return out
}

func (c *comparer) compareFlat(o, n *flat, sd side, path string) {
	k := [2]string{o.key, n.key}
	for p := c; p != nil; p = p.parent {
		if p.visited[k] {
			return
		}
	}
	c.visited[k] = true
	if c.steps++; c.steps > maxSteps {
		if !c.truncated {
			c.truncated = true
			if !c.trial {
				c.report(Warning, "comparison-truncated", path, o.loc, n.loc,
					"the schemas are too large to compare completely (more than %d pairs); changes below may be missed", maxSteps)
			}
		}
		return
	}
	if o.unresolved != "" || n.unresolved != "" {
		if o.unresolved != n.unresolved {
			what := o.unresolved
			if what == "" {
				what = n.unresolved
			}
			c.report(Warning, "schema-unresolved", path, o.loc, n.loc,
				"$ref %q does not resolve, so the schemas cannot be compared", what)
		}
		return
	}
	if o.union != "" || n.union != "" {
		c.compareBranches(o, n, sd, path)
		return
	}
	c.compareTypes(o, n, sd, path)
	c.compareEnum(o, n, sd, path)
	may := func(t string) bool { return covers(o.types, t) && covers(n.types, t) }
	c.compareLimits(o, n, sd, path)
	if may("object") {
		c.compareObjects(o, n, sd, path)
	}
	if may("array") {
		if len(o.items) > 0 || len(n.items) > 0 {
			c.compareSchemas(orTrue(o.items, o.loc), orTrue(n.items, n.loc), sd, path+"[]")
		}
	}
	for _, kw := range slices.Sorted(maps.Keys(union(o.other, n.other))) {
		if o.other[kw] != n.other[kw] {
			c.report(Warning, sd.prefix()+"-schema-changed", path, orLoc(o.otherLoc[kw], o.loc), orLoc(n.otherLoc[kw], n.loc),
				"%q changed, and diff does not model it: check by hand whether values valid before still are", kw)
		}
	}
}

func orTrue(s []src, at Location) []src {
	if len(s) > 0 {
		return s
	}
	return []src{{v: true, file: at.File, ptr: at.Pointer}}
}

func orLoc(l, def Location) Location {
	if l.Pointer == "" && l.File == "" {
		return def
	}
	return l
}

func union[V any](a, b map[string]V) map[string]V {
	out := maps.Clone(a)
	if out == nil {
		out = map[string]V{}
	}
	maps.Copy(out, b)
	return out
}

// compareBranches compares unions branch by branch: each old branch is
// paired with the new branch it equals, else the one of the same
// component name, else, when one branch is left on each side, that one.
func (c *comparer) compareBranches(o, n *flat, sd side, path string) {
	ob, nb := c.branchesOf(c.old, o), c.branchesOf(c.new, n)
	pairOf := make([]int, len(ob))
	taken := make([]bool, len(nb))
	for i := range pairOf {
		pairOf[i] = -1
	}
	pair := func(match func(i, j int) bool) {
		for i := range ob {
			if pairOf[i] >= 0 {
				continue
			}
			for j := range nb {
				if !taken[j] && match(i, j) {
					pairOf[i], taken[j] = j, true
					break
				}
			}
		}
	}
	pair(func(i, j int) bool { return c.trialCompare(ob[i], nb[j], sd) < 0 })
	pair(func(i, j int) bool { return ob[i].name != "" && ob[i].name == nb[j].name })
	pair(func(i, j int) bool { return sameTypes(ob[i].types, nb[j].types) && len(ob) == len(nb) })
	leftOld, leftNew := 0, 0
	for i := range ob {
		if pairOf[i] < 0 {
			leftOld++
		}
	}
	for j := range nb {
		if !taken[j] {
			leftNew++
		}
	}
	if leftOld == 1 && leftNew == 1 {
		pair(func(i, j int) bool { return true })
	}
	label := func(f *flat, u string, i int) string {
		if u == "" {
			return path
		}
		return fmt.Sprintf("%s.%s[%d]", path, u, i)
	}
	for i, j := range pairOf {
		if j >= 0 {
			c.compareFlat(ob[i], nb[j], sd, label(ob[i], o.union, i))
			continue
		}
		// An old branch without a counterpart: fine when a new branch
		// accepts all it did (params) or it is gone (results).
		if sd == params {
			covered := false
			for j := range nb {
				if c.trialCompare(ob[i], nb[j], sd) < int(Breaking) {
					covered = true
					break
				}
			}
			if !covered {
				c.report(Breaking, "param-branch-removed", label(ob[i], o.union, i), ob[i].loc, n.loc,
					"%s no longer accepts the values of this branch%s", describeSide(sd), nameSuffix(ob[i]))
			}
		} else {
			c.report(Info, "result-branch-removed", label(ob[i], o.union, i), ob[i].loc, n.loc,
				"the result no longer takes the shape of this branch%s", nameSuffix(ob[i]))
		}
	}
branches:
	for j := range nb {
		if taken[j] {
			continue
		}
		if sd == params {
			for i := range ob {
				if c.trialCompare(ob[i], nb[j], sd) < int(Breaking) {
					continue branches // a wider branch replacing narrower ones
				}
			}
			c.report(Info, "param-branch-added", label(nb[j], n.union, j), o.loc, nb[j].loc,
				"the param accepts a new branch%s", nameSuffix(nb[j]))
			continue
		}
		covered := false
		for i := range ob {
			if c.trialCompare(ob[i], nb[j], sd) < int(Breaking) {
				covered = true
				break
			}
		}
		if !covered {
			c.report(Breaking, "result-branch-added", label(nb[j], n.union, j), o.loc, nb[j].loc,
				"the result may take a new shape%s that clients of the old document do not expect", nameSuffix(nb[j]))
		}
	}
}

func nameSuffix(f *flat) string {
	if f.name == "" {
		return ""
	}
	return fmt.Sprintf(" (%s)", f.name)
}

func describeSide(sd side) string {
	if sd == params {
		return "the param"
	}
	return "the result"
}

func sameTypes(a, b map[string]bool) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return maps.Equal(a, b)
}

func typeList(s map[string]bool) string {
	if s == nil {
		return "any type"
	}
	if len(s) == 0 {
		return "no value"
	}
	return strings.Join(slices.Sorted(maps.Keys(s)), ", ")
}

func (c *comparer) compareTypes(o, n *flat, sd side, path string) {
	var removed, added []string
	for _, t := range allTypes {
		oc, nc := covers(o.types, t), covers(n.types, t)
		if oc && !nc {
			removed = append(removed, t)
		}
		if nc && !oc {
			added = append(added, t)
		}
	}
	if len(removed) == 0 && len(added) == 0 {
		return
	}
	ol, nl := orLoc(o.typesLoc, o.loc), orLoc(n.typesLoc, n.loc)
	overlap := false
	for _, t := range allTypes {
		if covers(o.types, t) && covers(n.types, t) {
			overlap = true
		}
	}
	if !overlap {
		c.report(Breaking, sd.prefix()+"-type-changed", path, ol, nl, "type changed from %s to %s", typeList(o.types), typeList(n.types))
		return
	}
	if len(removed) > 0 {
		if sd == params {
			c.report(Breaking, "param-type-removed", path, ol, nl, "no longer accepts %s (type %s, was %s)",
				strings.Join(removed, ", "), typeList(n.types), typeList(o.types))
		} else {
			c.report(Info, "result-type-removed", path, ol, nl, "is no longer %s (type %s, was %s)",
				strings.Join(removed, ", "), typeList(n.types), typeList(o.types))
		}
	}
	if len(added) > 0 {
		if sd == params {
			c.report(Info, "param-type-added", path, ol, nl, "now also accepts %s (type %s, was %s)",
				strings.Join(added, ", "), typeList(n.types), typeList(o.types))
		} else {
			c.report(Breaking, "result-type-added", path, ol, nl, "may now be %s (type %s, was %s), which clients of the old document do not expect",
				strings.Join(added, ", "), typeList(n.types), typeList(o.types))
		}
	}
}

func (c *comparer) compareEnum(o, n *flat, sd side, path string) {
	ol, nl := orLoc(o.enumLoc, o.loc), orLoc(n.enumLoc, n.loc)
	switch {
	case o.enum == nil && n.enum == nil:
		return
	case o.enum == nil:
		if sd == params {
			c.report(Breaking, "param-constraint-narrowed", path, ol, nl, "now restricted to the values %s", enumList(n.enum, nil))
		} else {
			c.report(Info, "result-constraint-narrowed", path, ol, nl, "now restricted to the values %s", enumList(n.enum, nil))
		}
		return
	case n.enum == nil:
		if sd == params {
			c.report(Info, "param-constraint-widened", path, ol, nl, "no longer restricted to the values %s", enumList(o.enum, nil))
		} else {
			c.report(Warning, "result-enum-value-added", path, ol, nl, "no longer restricted to the values %s: clients may receive other values", enumList(o.enum, nil))
		}
		return
	}
	removed := enumList(o.enum, n.enum)
	added := enumList(n.enum, o.enum)
	if removed != "" {
		if sd == params {
			c.report(Breaking, "param-enum-value-removed", path, ol, nl, "no longer accepts %s", removed)
		} else {
			c.report(Info, "result-enum-value-removed", path, ol, nl, "is no longer %s", removed)
		}
	}
	if added != "" {
		if sd == params {
			c.report(Info, "param-enum-value-added", path, ol, nl, "now also accepts %s", added)
		} else {
			c.report(Warning, "result-enum-value-added", path, ol, nl, "may now be %s, which clients that check every value do not expect", added)
		}
	}
}

// enumList lists the values of a not in b, as written.
func enumList(a, b map[string]string) string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if _, ok := b[k]; !ok {
			out = append(out, a[k])
		}
	}
	return strings.Join(out, ", ")
}

// narrowed reports a constraint that accepts fewer values than before.
func (c *comparer) narrowed(sd side, path string, ol, nl Location, format string, args ...any) {
	if sd == params {
		c.report(Breaking, "param-constraint-narrowed", path, ol, nl, format, args...)
	} else {
		c.report(Info, "result-constraint-narrowed", path, ol, nl, format, args...)
	}
}

// widened reports a constraint that accepts more values than before.
func (c *comparer) widened(sd side, path string, ol, nl Location, format string, args ...any) {
	if sd == params {
		c.report(Info, "param-constraint-widened", path, ol, nl, format, args...)
	} else {
		c.report(Warning, "result-constraint-widened", path, ol, nl, format, args...)
	}
}

func (c *comparer) compareLimits(o, n *flat, sd side, path string) {
	for _, bounds := range [][]string{lowerBounds, upperBounds} {
		lower := bounds[0] == "minimum"
		for _, k := range bounds {
			ov, oh := o.limits[k]
			nv, nh := n.limits[k]
			ol, nl := orLoc(ov.loc, o.loc), orLoc(nv.loc, n.loc)
			switch {
			case !oh && !nh:
			case !oh:
				c.narrowed(sd, path, ol, nl, "%s %s added", k, nv.raw)
			case !nh:
				c.widened(sd, path, ol, nl, "%s %s removed", k, ov.raw)
			case ov.v.Cmp(nv.v) == 0:
			default:
				raised := ov.v.Cmp(nv.v) < 0
				verb := "lowered"
				if raised {
					verb = "raised"
				}
				// A raised lower bound or a lowered upper one narrows.
				if raised == lower {
					c.narrowed(sd, path, ol, nl, "%s %s from %s to %s", k, verb, ov.raw, nv.raw)
				} else {
					c.widened(sd, path, ol, nl, "%s %s from %s to %s", k, verb, ov.raw, nv.raw)
				}
			}
		}
	}
	for _, k := range []string{"pattern", "format", "multipleOf"} {
		ov, oh := o.strs[k]
		nv, nh := n.strs[k]
		ol, nl := orLoc(ov.loc, o.loc), orLoc(nv.loc, n.loc)
		switch {
		case !oh && !nh:
		case !oh:
			c.narrowed(sd, path, ol, nl, "%s %q added", k, nv.v)
		case !nh:
			c.widened(sd, path, ol, nl, "%s %q removed", k, ov.v)
		case ov.v != nv.v:
			c.report(Warning, sd.prefix()+"-constraint-changed", path, ol, nl,
				"%s changed from %q to %q: check by hand whether values valid before still are", k, ov.v, nv.v)
		}
	}
	if o.unique != n.unique {
		if n.unique {
			c.narrowed(sd, path, o.loc, n.loc, "items must now be unique")
		} else {
			c.widened(sd, path, o.loc, n.loc, "items need no longer be unique")
		}
	}
}

func propPath(path, name string) string {
	if name != "" && strings.IndexFunc(name, func(r rune) bool {
		return !(r == '_' || r == '-' || r == '$' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return path + "." + name
	}
	return fmt.Sprintf("%s[%q]", path, name)
}

func (c *comparer) compareObjects(o, n *flat, sd side, path string) {
	for _, name := range o.propOrder {
		pp := propPath(path, name)
		os := o.props[name]
		ns, inNew := n.props[name]
		if !inNew {
			if sd == params {
				if n.addlFalse {
					c.report(Breaking, "param-property-removed", pp, os[0].loc(), n.loc,
						"property %q was removed and additional properties are not allowed: callers that send it are rejected", name)
				} else {
					c.report(Warning, "param-property-removed", pp, os[0].loc(), n.loc,
						"property %q was removed: what callers send in it is no longer described", name)
				}
			} else {
				c.report(Breaking, "result-property-removed", pp, os[0].loc(), n.loc,
					"property %q was removed: clients that read it no longer find it", name)
			}
			continue
		}
		c.compareRequired(o, n, name, ns[0].loc(), sd, pp)
		c.compareSchemas(os, ns, sd, pp)
	}
	for _, name := range n.propOrder {
		if _, inOld := o.props[name]; inOld {
			continue
		}
		pp := propPath(path, name)
		nl := n.props[name][0].loc()
		switch {
		case sd == params && n.required[name]:
			c.report(Breaking, "param-property-required-added", pp, o.loc, nl, "new required property %q: callers do not send it", name)
		case sd == params:
			c.report(Info, "param-property-added", pp, o.loc, nl, "new optional property %q", name)
		default:
			c.report(Info, "result-property-added", pp, o.loc, nl, "new property %q", name)
		}
	}
	// Required names without a property schema on either side.
	for _, name := range slices.Sorted(maps.Keys(union(o.required, n.required))) {
		if _, ok := o.props[name]; ok {
			continue
		}
		if _, ok := n.props[name]; ok {
			continue
		}
		c.compareRequired(o, n, name, n.loc, sd, propPath(path, name))
	}
	switch {
	case !o.addlFalse && n.addlFalse:
		if sd == params {
			c.report(Breaking, "param-properties-closed", path, o.loc, n.loc, "additional properties are no longer allowed: callers that send others are rejected")
		} else {
			c.report(Info, "result-properties-closed", path, o.loc, n.loc, "additional properties are no longer sent")
		}
	case o.addlFalse && !n.addlFalse:
		if sd == params {
			c.report(Info, "param-properties-opened", path, o.loc, n.loc, "additional properties are now allowed")
		} else {
			c.report(Warning, "result-properties-opened", path, o.loc, n.loc, "the result may now hold properties not described: clients that reject unknown members fail")
		}
	case !o.addlFalse && (len(o.addl) > 0 || len(n.addl) > 0):
		c.compareSchemas(orTrue(o.addl, o.loc), orTrue(n.addl, n.loc), sd, path+".*")
	}
}

func (c *comparer) compareRequired(o, n *flat, name string, nl Location, sd side, pp string) {
	or, nr := o.required[name], n.required[name]
	switch {
	case or == nr:
	case nr && sd == params:
		c.report(Breaking, "param-property-became-required", pp, o.loc, nl, "property %q is now required: callers that leave it out are rejected", name)
	case nr:
		c.report(Info, "result-property-became-required", pp, o.loc, nl, "property %q is now always present", name)
	case sd == params:
		c.report(Info, "param-property-became-optional", pp, o.loc, nl, "property %q is now optional", name)
	default:
		c.report(Breaking, "result-property-became-optional", pp, o.loc, nl, "property %q may now be missing: clients that expect it fail", name)
	}
}
