package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The bound on the work of one validation, in steps: one step is one
// (sub)schema applied to one value of the instance. Each value of the
// instance may take StepsPerValue steps; the steps beyond that, summed
// over the instance, may not exceed MaxSteps. So the work is linear in the
// size of the instance, as it is for any schema that does not branch
// much, and whatever a schema adds beyond is capped: a validation that
// could go past the cap is refused with [ErrTooComplex] before it starts.
//
// Schemas that branch (anyOf, oneOf, allOf, if/then/else) into schemas
// that branch again can make the number of evaluations grow exponentially
// with their nesting ("anyOf": [{"$ref": next}, {"$ref": next}] eighteen
// deep is 2^18 evaluations for one value, 6 s of work), and recursive
// schemas that branch can make it grow exponentially with the depth of
// the value.
const (
	StepsPerValue = 64
	MaxSteps      = 100_000
)

// ErrTooComplex is the error (matched with [errors.Is]) of a validation
// that could take more than the bound of [MaxSteps]. The bound is an upper
// bound on the evaluations the validator may make, worked out when the
// schema is compiled (for each depth of the value, how many schemas can
// apply to one value at that depth, every branch of anyOf, oneOf and
// if/then/else counted, a failed "type" ending a branch) and applied to
// the shape of the value (how many values it holds at each depth). A
// schema whose bound stays within StepsPerValue at every depth costs
// nothing at validation.
var ErrTooComplex = errors.New("too complex to check")

// MaxDepth is the deepest nesting of arrays and objects that a value may
// have to be validated; a deeper value is refused with an error that
// matches [ErrTooComplex]. It admits a JSON Schema nested 1,000 deep in
// an OpenRPC document (two levels of JSON per level of schema); past it,
// reporting a failure costs time quadratic in the depth.
const MaxDepth = 2048

var errTooDeep = fmt.Errorf("validate: %w: the value nests more than %d levels deep", ErrTooComplex, MaxDepth)

// costModel holds, for one compiled schema, an upper bound on the number
// of schema evaluations at one value at each depth of the instance.
type costModel struct {
	// perValue[d] bounds the evaluations at one value at depth d (the
	// root is depth 0), as a running maximum over depths 0..d.
	perValue []float64
	// stable reports that perValue's last entry bounds every deeper depth
	// too; otherwise deeper values are beyond MaxSteps.
	stable bool
}

// bound returns the bound at depth d.
func (m *costModel) bound(d int) float64 {
	if d < len(m.perValue) {
		return m.perValue[d]
	}
	if m.stable {
		return m.perValue[len(m.perValue)-1]
	}
	return math.Inf(1)
}

// check refuses instance when it nests deeper than MaxDepth or when
// validating it could exceed the bound. depthChecked reports that the
// depth of instance is known to be within MaxDepth.
func (m *costModel) check(instance any, depthChecked bool) error {
	cheap := m.stable && m.perValue[len(m.perValue)-1] <= StepsPerValue
	if cheap && depthChecked {
		return nil
	}
	var steps float64
	tooDeep := false
	var walk func(v any, depth int) bool
	walk = func(v any, depth int) bool {
		if depth > MaxDepth {
			tooDeep = true
			return false
		}
		if !cheap {
			steps += max(0, m.bound(depth)-StepsPerValue)
		}
		if steps > MaxSteps {
			return false
		}
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				if !walk(e, depth+1) {
					return false
				}
			}
		case []any:
			for _, e := range x {
				if !walk(e, depth+1) {
					return false
				}
			}
		}
		return true
	}
	if !walk(instance, 0) {
		if tooDeep {
			return errTooDeep
		}
		return fmt.Errorf("validate: %w: the schema branches so much that checking this value could take more than %d steps", ErrTooComplex, MaxSteps)
	}
	return nil
}

// uncheckableNumber finds in instance a number the general validator
// cannot compare: a json.Number whose exponent math/big refuses (beyond a
// million, as in 1e1000001), or a float that is infinite or not a number.
// It returns where it is, and the number.
func uncheckableNumber(instance any) (loc []string, num any, found bool) {
	switch x := instance.(type) {
	case json.Number:
		if strings.ContainsAny(string(x), "eE") {
			if _, ok := new(big.Rat).SetString(string(x)); !ok {
				return nil, x, true
			}
		}
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, x, true
		}
	case float32:
		if math.IsInf(float64(x), 0) || math.IsNaN(float64(x)) {
			return nil, x, true
		}
	case map[string]any:
		for k, e := range x {
			if loc, num, found := uncheckableNumber(e); found {
				return append([]string{k}, loc...), num, true
			}
		}
	case []any:
		for i, e := range x {
			if loc, num, found := uncheckableNumber(e); found {
				return append([]string{strconv.Itoa(i)}, loc...), num, true
			}
		}
	}
	return nil, nil, false
}

// uncheckable is the error for an instance whose validation panicked
// with p: one that matches ErrTooComplex when it holds a number the
// general validator cannot compare, else the panic again (a fault of ours
// or of the validator, not of the instance).
func uncheckable(instance any, p any) error {
	loc, num, found := uncheckableNumber(instance)
	if !found {
		panic(p)
	}
	if n, ok := num.(json.Number); ok {
		return fmt.Errorf("validate: %w: the number %.40s at %q has an exponent too large to compare exactly", ErrTooComplex, n, pointer(loc))
	}
	return fmt.Errorf("validate: value at %q is a Go %T %v, which has no JSON meaning", pointer(loc), num, num)
}

// The cost graph: the schemas reachable from the root, with in-place edges
// (schemas applied to the same value: $ref, allOf, anyOf, oneOf, not,
// if/then/else, dependentSchemas) and descent edges (schemas applied to a
// member or item, under a label: a property name, "*" for any other name,
// an item index, or "#" for any other index).
type costGraph struct {
	ids      map[*jsonschema.Schema]int
	nodes    []*jsonschema.Schema
	inPlace  [][]int
	order    []int   // a topological order of the in-place edges, back edges ignored
	pos      []int   // each node's index in order
	forward  [][]int // inPlace without the back edges
	maxIndex int     // items past the longest prefixItems (or items array) share one label
}

// newCostModel works out the bounds of schema s.
func newCostModel(s *jsonschema.Schema) *costModel {
	return newCostModels([]*jsonschema.Schema{s})[0]
}

// newCostModels works out the bounds of each of roots. The roots share one
// graph and one memo of states, so schemas compiled together (the methods
// of a document referring to the same components) are analysed once: the
// work is that of the states reachable from the roots, each worked out
// once, plus one walk over the memoised states per root.
func newCostModels(roots []*jsonschema.Schema) []*costModel {
	models, _ := costModels(roots)
	return models
}

// costModels is newCostModels, also returning the work it took, in
// closure visits, for tests.
func costModels(roots []*jsonschema.Schema) ([]*costModel, int) {
	g := &costGraph{ids: map[*jsonschema.Schema]int{}}
	rootIDs := make([]int, len(roots))
	for i, s := range roots {
		rootIDs[i] = g.add(s)
	}
	for i := 0; i < len(g.nodes); i++ {
		g.visit(i)
	}
	g.sort()
	sg := &stateGraph{g: g, ids: map[string]int{}}
	out := make([]*costModel, len(roots))
	for i, id := range rootIDs {
		out[i] = sg.model(sg.state(map[int]float64{id: 1}))
	}
	return out, sg.work
}

// A stateGraph memoises the states of the cost model: a state is a vector
// of how many times each schema is applied to one value before the
// in-place applicators. Its value is the most evaluations it costs at one
// value (over the kinds of value); its children are the states of the
// members and items of such a value (one per distinct way down: a member
// name, any other name, an item index, any other index).
type stateGraph struct {
	g        *costGraph
	ids      map[string]int
	vecs     []map[int]float64
	vals     []float64
	children [][]int
	expanded []bool
	work     int // closure visits, for tests: the analysis is linear in the states
}

func (sg *stateGraph) state(v map[int]float64) int {
	key := fingerprint(v)
	if id, ok := sg.ids[key]; ok {
		return id
	}
	id := len(sg.vecs)
	sg.ids[key] = id
	sg.vecs = append(sg.vecs, v)
	sg.vals = append(sg.vals, 0)
	sg.children = append(sg.children, nil)
	sg.expanded = append(sg.expanded, false)
	return id
}

// expand works out the value and the children of state id, once.
func (sg *stateGraph) expand(id int) {
	if sg.expanded[id] {
		return
	}
	sg.expanded[id] = true
	best := 0.0
	seen := map[int]bool{}
	var kids []int
	for k := range numKinds {
		c := sg.g.closure(sg.vecs[id], k)
		sg.work += len(c)
		total := 0.0
		for _, x := range c {
			total += x
		}
		best = max(best, total)
		if k != kindObject && k != kindArray || total > MaxSteps+StepsPerValue {
			continue
		}
		for _, child := range sg.g.descend(c, k) {
			cid := sg.state(child)
			if !seen[cid] {
				seen[cid] = true
				kids = append(kids, cid)
			}
		}
	}
	sg.vals[id] = best
	sg.children[id] = kids
}

// model works out the bounds from state root: at depth d, the most that
// any state reachable in at most d steps costs. Past the last depth at
// which a new state appears, the bound is stable.
func (sg *stateGraph) model(root int) *costModel {
	m := &costModel{}
	visited := map[int]bool{root: true}
	layer := []int{root}
	best := 0.0
	for depth := 0; ; depth++ {
		var next []int
		for _, id := range layer {
			sg.expand(id)
			best = max(best, sg.vals[id])
			for _, c := range sg.children[id] {
				if !visited[c] {
					visited[c] = true
					next = append(next, c)
				}
			}
		}
		m.perValue = append(m.perValue, best)
		if best > MaxSteps+StepsPerValue || depth >= maxCostDepth || len(visited) > maxStates {
			return m // deeper values are beyond the bound
		}
		if len(next) == 0 {
			m.stable = true
			return m
		}
		layer = next
	}
}

// maxStates bounds the distinct states the cost model visits from one
// root; maxCostDepth bounds the depths it works out: a schema whose bound
// still grows at that depth, or that reaches more states, refuses deeper
// values.
const (
	maxStates    = 1 << 16
	maxCostDepth = 256
)

// The kinds of JSON values, as far as "type" tells schemas apart. A number
// counts as an integer too (the worst case: it meets both types).
const (
	kindNull = iota
	kindBoolean
	kindNumber
	kindString
	kindObject
	kindArray
	numKinds
)

var kindTypes = [numKinds][]string{{"null"}, {"boolean"}, {"number", "integer"}, {"string"}, {"object"}, {"array"}}

// active reports whether schema i goes past its "type" for a value of
// kind k: the validator stops at a failed type, applying nothing else.
func (g *costGraph) active(i, k int) bool {
	s := g.nodes[i]
	if s.Bool != nil {
		return false
	}
	if s.Types == nil || s.Types.IsEmpty() {
		return true
	}
	for _, t := range s.Types.ToStrings() {
		if slices.Contains(kindTypes[k], t) {
			return true
		}
	}
	return false
}

func (g *costGraph) add(s *jsonschema.Schema) int {
	if id, ok := g.ids[s]; ok {
		return id
	}
	id := len(g.nodes)
	g.ids[s] = id
	g.nodes = append(g.nodes, s)
	g.inPlace = append(g.inPlace, nil)
	return id
}

// visit records the in-place edges of node i and adds the schemas it
// reaches.
func (g *costGraph) visit(i int) {
	s := g.nodes[i]
	var in []*jsonschema.Schema
	in = append(in, s.Ref, s.RecursiveRef, s.Not, s.If, s.Then, s.Else)
	if s.DynamicRef != nil {
		in = append(in, s.DynamicRef.Ref)
	}
	in = append(in, s.AllOf...)
	in = append(in, s.AnyOf...)
	in = append(in, s.OneOf...)
	for _, k := range slices.Sorted(maps.Keys(s.DependentSchemas)) {
		in = append(in, s.DependentSchemas[k])
	}
	for _, k := range slices.Sorted(maps.Keys(s.Dependencies)) {
		if d, ok := s.Dependencies[k].(*jsonschema.Schema); ok {
			in = append(in, d)
		}
	}
	for _, c := range in {
		if c != nil {
			g.inPlace[i] = append(g.inPlace[i], g.add(c))
		}
	}
	for _, c := range g.descendants(s) {
		g.add(c)
	}
	if items, ok := s.Items.([]*jsonschema.Schema); ok {
		g.maxIndex = max(g.maxIndex, len(items))
	}
	g.maxIndex = max(g.maxIndex, len(s.PrefixItems))
}

// descendants lists every schema that s applies to a member or item.
func (g *costGraph) descendants(s *jsonschema.Schema) []*jsonschema.Schema {
	var out []*jsonschema.Schema
	for _, k := range slices.Sorted(maps.Keys(s.Properties)) {
		out = append(out, s.Properties[k])
	}
	for _, c := range s.PatternProperties {
		out = append(out, c)
	}
	out = append(out, s.PrefixItems...)
	if items, ok := s.Items.([]*jsonschema.Schema); ok {
		out = append(out, items...)
	}
	out = append(out, schemaOf(s.Items), schemaOf(s.AdditionalProperties), schemaOf(s.AdditionalItems),
		s.Items2020, s.Contains, s.PropertyNames, s.UnevaluatedProperties, s.UnevaluatedItems)
	return slices.DeleteFunc(out, func(c *jsonschema.Schema) bool { return c == nil })
}

// memberSchemas lists the schemas that s applies to the member named name,
// or to a member of any other name when name is "" (every pattern counted).
func memberSchemas(s *jsonschema.Schema, name string) []*jsonschema.Schema {
	// The member's name is checked against propertyNames; it is counted
	// with the member.
	out := []*jsonschema.Schema{s.PropertyNames, s.UnevaluatedProperties}
	if c, ok := s.Properties[name]; ok && name != "" {
		out = append(out, c)
	} else {
		matched := false
		for re, c := range s.PatternProperties {
			if name == "" || re.MatchString(name) {
				out = append(out, c)
				matched = true
			}
		}
		if !matched || name == "" {
			out = append(out, schemaOf(s.AdditionalProperties))
		}
	}
	return out
}

// itemSchemas lists the schemas that s applies to the item at index i, or
// to an item past every prefix when i < 0.
func itemSchemas(s *jsonschema.Schema, i int) []*jsonschema.Schema {
	out := []*jsonschema.Schema{s.Contains, s.UnevaluatedItems}
	if items, ok := s.Items.([]*jsonschema.Schema); ok {
		if i >= 0 && i < len(items) {
			return append(out, items[i])
		}
		return append(out, schemaOf(s.AdditionalItems))
	}
	if i >= 0 && i < len(s.PrefixItems) {
		return append(out, s.PrefixItems[i])
	}
	return append(out, schemaOf(s.Items), s.Items2020)
}

// descend returns, for each label (a member name, any other name, an item
// index, any other index), the schemas that the schemas of v (applied to
// a value of kind k) apply to the member or item under that label, with
// multiplicity.
func (g *costGraph) descend(v map[int]float64, k int) []map[int]float64 {
	var out []map[int]float64
	collect := func(list func(s *jsonschema.Schema) []*jsonschema.Schema) {
		w := map[int]float64{}
		for si, x := range v {
			if !g.active(si, k) {
				continue
			}
			for _, c := range list(g.nodes[si]) {
				if c != nil {
					w[g.ids[c]] += x
				}
			}
		}
		if len(w) > 0 {
			out = append(out, w)
		}
	}
	if k == kindArray {
		for i := -1; i < g.maxIndex; i++ {
			collect(func(s *jsonschema.Schema) []*jsonschema.Schema { return itemSchemas(s, i) })
		}
		return out
	}
	// Only the names that the schemas of v name can differ from "any
	// other name".
	var labels []string
	for si := range v {
		for name := range g.nodes[si].Properties {
			labels = append(labels, name)
		}
	}
	slices.Sort(labels)
	labels = slices.Compact(labels)
	collect(func(s *jsonschema.Schema) []*jsonschema.Schema { return memberSchemas(s, "") })
	for _, name := range labels {
		collect(func(s *jsonschema.Schema) []*jsonschema.Schema { return memberSchemas(s, name) })
	}
	return out
}

// sort computes a topological order of the in-place edges, dropping the
// edges that close a cycle (the validator stops there: a schema applied
// again to the same value is an infinite loop it reports).
func (g *costGraph) sort() {
	n := len(g.nodes)
	g.forward = make([][]int, n)
	state := make([]uint8, n) // 0 new, 1 on the stack, 2 done
	var post []int
	var dfs func(i int)
	dfs = func(i int) {
		state[i] = 1
		for _, c := range g.inPlace[i] {
			switch state[c] {
			case 0:
				g.forward[i] = append(g.forward[i], c)
				dfs(c)
			case 2:
				g.forward[i] = append(g.forward[i], c)
			}
		}
		state[i] = 2
		post = append(post, i)
	}
	for i := range n {
		if state[i] == 0 {
			dfs(i)
		}
	}
	slices.Reverse(post)
	g.order = post
	g.pos = make([]int, n)
	for p, i := range post {
		g.pos[i] = p
	}
}

// closure adds to v the schemas that the schemas of v apply in place, with
// multiplicity: a schema reached along k paths is evaluated k times. Only
// the schemas reachable from v are visited, in topological order, so the
// work is that of the in-place subgraph below v, not of the whole graph.
func (g *costGraph) closure(v map[int]float64, k int) map[int]float64 {
	out := make(map[int]float64, len(v))
	if len(v) == 0 {
		return out
	}
	var reach []int
	stack := make([]int, 0, len(v))
	for id, x := range v {
		out[id] = x
		stack = append(stack, id)
	}
	seen := make(map[int]bool, len(v))
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[i] {
			continue
		}
		seen[i] = true
		reach = append(reach, i)
		if !g.active(i, k) {
			continue
		}
		stack = append(stack, g.forward[i]...)
	}
	slices.SortFunc(reach, func(a, b int) int { return g.pos[a] - g.pos[b] })
	for _, i := range reach {
		if out[i] == 0 || !g.active(i, k) {
			continue
		}
		for _, c := range g.forward[i] {
			out[c] += out[i]
		}
	}
	return out
}

func fingerprint(v map[int]float64) string {
	var b strings.Builder
	for _, id := range slices.Sorted(maps.Keys(v)) {
		b.WriteString(strconv.Itoa(id))
		b.WriteByte(':')
		b.WriteString(strconv.FormatFloat(v[id], 'g', -1, 64))
		b.WriteByte(',')
	}
	return b.String()
}

// schemaOf returns v when it is a schema (AdditionalProperties,
// AdditionalItems and draft-07 Items hold any of several types).
func schemaOf(v any) *jsonschema.Schema {
	s, _ := v.(*jsonschema.Schema)
	return s
}
