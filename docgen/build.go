package docgen

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
)

// Bounds that keep output size proportional to the input no matter how
// deeply or recursively schemas are nested.
const (
	maxInlineDepth = 3   // levels of nested property rows for inline objects
	maxTypeDepth   = 4   // nesting of type expressions such as array<array<T>>
	maxVariants    = 12  // oneOf/anyOf/allOf members shown in a type expression
	maxValueLen    = 300 // runes of a constraint value (enum, default, ...)
)

// seg is a piece of a type expression; a non-empty Anchor makes it a link
// to a section of the generated document.
type seg struct {
	Text   string
	Anchor string
}

// typeExpr is a readable type such as "array<User>" split into segments.
type typeExpr []seg

// constraint is a JSON Schema validation keyword and its formatted value.
type constraint struct {
	Key   string
	Value string
}

// row is one line of a params, result or properties table.
type row struct {
	Name        string
	Depth       int
	Type        typeExpr
	Required    bool
	Constraints []constraint
	Description string
}

type errorView struct {
	Code    string
	Message string
	Data    string
}

type exampleView struct {
	Name        string
	Summary     string
	Description string
	Request     string
	Response    string // "" for notifications
	Notes       []string
	Params      string // the request's params alone, indented JSON
}

type methodView struct {
	Name           string
	Anchor         string
	Summary        string
	Description    string
	Deprecated     bool
	Tags           []string
	ParamStructure string
	Params         []row
	Result         []row // empty: the method has no result (notification)
	Errors         []errorView
	Examples       []exampleView
	ExternalDocs   string
	Note           string
	TryParams      string // the HTML try-it panel's initial params
	// Subscriptions are those of the extension x-subscriptions, which
	// schemarpc servers put on a namespace's subscribe method.
	Subscriptions []subscriptionView
}

// subscriptionView is one entry of x-subscriptions: a subscription's
// params and event.
type subscriptionView struct {
	Name, Summary, Description string
	Notification, End          string
	Params, Event              []row
}

type variantView struct {
	Kind        string // oneOf, anyOf or allOf
	Index       int    // 1-based
	Type        typeExpr
	Description string
	Rows        []row
}

type schemaView struct {
	Name        string
	Anchor      string
	Source      string // $ref-style origin for schemas outside components.schemas
	Description string
	Deprecated  bool
	Type        typeExpr
	Constraints []constraint
	Rows        []row
	Variants    []variantView

	value any
	file  string
}

type serverView struct {
	Name        string
	URL         string
	Summary     string
	Description string
}

// page is the format-independent view of a whole document.
type page struct {
	Title       string
	Version     string
	OpenRPC     string
	Description string
	Servers     []serverView
	Methods     []methodView
	Schemas     []*schemaView
}

// builder turns a decoded OpenRPC document into a page.
type builder struct {
	r        *resolver
	anchors  map[string]bool
	names    map[string]bool
	sections map[jsonptr.Location]*schemaView
	order    []*schemaView
}

func build(ctx context.Context, doc *object, r *resolver, title string) (*page, error) {
	b := &builder{
		r:        r,
		anchors:  map[string]bool{},
		names:    map[string]bool{},
		sections: map[jsonptr.Location]*schemaView{},
	}
	info := doc.obj("info")
	p := &page{
		Title:       firstNonEmpty(title, info.str("title"), "API Reference"),
		Version:     info.str("version"),
		OpenRPC:     doc.str("openrpc"),
		Description: info.str("description"),
	}
	// Register shared schemas first so they keep their component names and
	// document order.
	if schemas := doc.obj("components").obj("schemas"); schemas != nil {
		for _, k := range schemas.keys {
			b.section(jsonptr.Location{Pointer: jsonptr.Append("/components/schemas", k)}, schemas.get(k), k)
		}
	}
	for _, s := range doc.arr("servers") {
		sv, _, _ := r.deref(s, "", "server")
		so, _ := sv.(*object)
		if so == nil {
			continue
		}
		p.Servers = append(p.Servers, serverView{
			Name: so.str("name"), URL: so.str("url"),
			Summary: so.str("summary"), Description: so.str("description"),
		})
	}
	if doc.has("methods") {
		if _, ok := doc.get("methods").([]any); !ok {
			r.warnf("methods is %s, not an array", kindOf(doc.get("methods")))
		}
	}
	for i, m := range doc.arr("methods") {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p.Methods = append(p.Methods, b.method(m, i))
	}
	// Rendering a schema may discover further schemas (for example in other
	// files); each location is rendered once, so this terminates.
	for i := 0; i < len(b.order); i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b.fillSchema(b.order[i])
	}
	p.Schemas = b.order
	return p, nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// anchor returns a unique HTML id derived from prefix and name.
func (b *builder) anchor(prefix, name string) string {
	base := prefix + slug(name)
	a := base
	for i := 2; b.anchors[a]; i++ {
		a = fmt.Sprintf("%s-%d", base, i)
	}
	b.anchors[a] = true
	return a
}

// slug lower-cases s and keeps only characters that are safe in URL
// fragments and HTML ids.
func slug(s string) string {
	var sb strings.Builder
	dash := false
	for _, c := range strings.ToLower(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '.':
			sb.WriteRune(c)
			dash = false
		default:
			if !dash && sb.Len() > 0 {
				sb.WriteByte('-')
				dash = true
			}
		}
	}
	out := strings.TrimRight(sb.String(), "-")
	if out == "" {
		return "x"
	}
	return out
}

// section returns the schema section for loc, creating and queueing it on
// first use.
func (b *builder) section(loc jsonptr.Location, v any, name string) *schemaView {
	if s := b.sections[loc]; s != nil {
		return s
	}
	if name == "" {
		name = sectionName(loc, v)
	}
	if b.names[name] && loc.File != "" {
		name = fmt.Sprintf("%s (%s)", name, loc.File)
	}
	for i, base := 2, name; b.names[name]; i++ {
		name = fmt.Sprintf("%s (%d)", base, i)
	}
	b.names[name] = true
	s := &schemaView{Name: name, Anchor: b.anchor("schema-", name), value: v, file: loc.File}
	if loc.File != "" || !strings.HasPrefix(loc.Pointer, "/components/schemas/") || strings.Count(loc.Pointer, "/") != 3 {
		s.Source = loc.String()
	}
	b.sections[loc] = s
	b.order = append(b.order, s)
	return s
}

// sectionName derives a readable name for a schema outside
// components.schemas: the last pointer token, or for a whole file its
// title or file name.
func sectionName(loc jsonptr.Location, v any) string {
	if loc.Pointer == "" {
		if o, ok := v.(*object); ok && o.str("title") != "" {
			return o.str("title")
		}
		base := path.Base(loc.File)
		if ext := path.Ext(base); ext != "" && ext != base {
			base = strings.TrimSuffix(base, ext)
		}
		return base
	}
	toks, _ := jsonptr.Parse(loc.Pointer) // a pointer that resolved: it parses
	n := len(toks)
	if n >= 2 {
		switch toks[n-2] {
		case "schemas", "definitions", "$defs":
			return toks[n-1]
		}
	}
	if n >= 2 && toks[0] == "components" {
		toks = toks[2:] // drop "components" and the component kind
	}
	if len(toks) == 0 {
		return "schema"
	}
	return strings.Join(toks, "/")
}

// schemaLink resolves a schema $ref and links to its section; schemas
// behind references are never expanded inline, which is what keeps
// recursive schemas finite.
func (b *builder) schemaLink(from, ref string) typeExpr {
	v, loc, err := b.r.lookup(from, ref)
	if err != nil {
		b.r.warnf("unresolved $ref %q (schema): %v", ref, err)
		return typeExpr{{Text: "unresolved $ref " + ref}}
	}
	s := b.section(loc, v, "")
	return typeExpr{{Text: s.Name, Anchor: s.Anchor}}
}

func (b *builder) method(v any, idx int) methodView {
	mv, file, note := b.r.deref(v, "", "method")
	m, _ := mv.(*object)
	if m == nil {
		name := fmt.Sprintf("(method %d)", idx+1)
		if note == "" {
			note = fmt.Sprintf("method %d is %s, not an object", idx+1, kindOf(mv))
			b.r.warnf("%s", note)
		}
		return methodView{Name: name, Anchor: b.anchor("method-", name), Note: note}
	}
	name := m.str("name")
	if name == "" {
		name = fmt.Sprintf("(method %d)", idx+1)
		b.r.warnf("method %d has no name", idx+1)
	}
	out := methodView{
		Name:           name,
		Anchor:         b.anchor("method-", name),
		Summary:        m.str("summary"),
		Description:    m.str("description"),
		Deprecated:     m.boolean("deprecated"),
		ParamStructure: firstNonEmpty(m.str("paramStructure"), "either"),
	}
	for _, t := range m.arr("tags") {
		tv, _, note := b.r.deref(t, file, "tag")
		switch tt := tv.(type) {
		case *object:
			if n := tt.str("name"); n != "" {
				out.Tags = append(out.Tags, n)
			}
		case string: // tolerate plain strings
			out.Tags = append(out.Tags, tt)
		default:
			if note != "" {
				out.Tags = append(out.Tags, note)
			}
		}
	}
	var paramNames []string
	for _, p := range m.arr("params") {
		rows, pname := b.contentDescriptor(p, file)
		out.Params = append(out.Params, rows...)
		paramNames = append(paramNames, pname)
	}
	if m.has("result") {
		out.Result, _ = b.contentDescriptor(m.get("result"), file)
	}
	for _, e := range m.arr("errors") {
		out.Errors = append(out.Errors, b.errorObject(e, file))
	}
	for i, e := range m.arr("examples") {
		out.Examples = append(out.Examples, b.example(e, file, i, name, out.ParamStructure, paramNames))
	}
	if ed := m.obj("externalDocs"); ed != nil {
		out.ExternalDocs = strings.TrimSpace(ed.str("description") + " " + ed.str("url"))
	}
	for _, x := range m.arr("x-subscriptions") {
		sub, _ := x.(*object)
		if sub == nil {
			continue
		}
		sv := subscriptionView{Name: sub.str("name"), Summary: sub.str("summary"), Description: sub.str("description"),
			Notification: sub.str("notification"), End: sub.str("end")}
		for _, p := range sub.arr("params") {
			rows, _ := b.contentDescriptor(p, file)
			sv.Params = append(sv.Params, rows...)
		}
		if sub.has("event") {
			sv.Event, _ = b.contentDescriptor(sub.get("event"), file)
		}
		out.Subscriptions = append(out.Subscriptions, sv)
	}
	out.TryParams = b.tryParams(m, file, out)
	return out
}

// contentDescriptor renders a (possibly referenced) content descriptor as a
// table row plus nested rows for inline object schemas. It also returns the
// descriptor's name.
func (b *builder) contentDescriptor(v any, from string) ([]row, string) {
	cv, file, note := b.r.deref(v, from, "content descriptor")
	cd, _ := cv.(*object)
	if cd == nil {
		if note == "" {
			note = "invalid content descriptor (" + kindOf(cv) + ")"
		}
		ref, _ := refOf(v)
		return []row{{Name: firstNonEmpty(ref, "?"), Type: typeExpr{{Text: "any"}}, Description: note}}, ""
	}
	name := cd.str("name")
	schema := cd.get("schema")
	r := row{
		Name:        name,
		Type:        b.typeOf(schema, file, 0),
		Required:    cd.boolean("required"),
		Constraints: constraintsOf(schema),
		Description: firstNonEmpty(cd.str("description"), cd.str("summary"), describe(schema)),
	}
	if ref, ok := refOf(schema); ok && r.Description == "" {
		// Borrow the description of the linked schema (never expanded).
		if target, _, err := b.r.lookup(file, ref); err == nil {
			r.Description = describe(target)
		}
	}
	if cd.boolean("deprecated") {
		r.Constraints = append([]constraint{{Key: "deprecated"}}, r.Constraints...)
	}
	rows := []row{r}
	rows = append(rows, b.nestedRows(schema, file, name, 1, map[*object]bool{})...)
	return rows, name
}

func (b *builder) errorObject(v any, from string) errorView {
	ev, _, note := b.r.deref(v, from, "error")
	e, _ := ev.(*object)
	if e == nil {
		return errorView{Message: firstNonEmpty(note, "invalid error object")}
	}
	out := errorView{Message: e.str("message")}
	if e.has("code") {
		out.Code = clip(encodeJSON(e.get("code"), ""))
	}
	if e.has("data") {
		out.Data = clip(encodeJSON(e.get("data"), ""))
	}
	return out
}

func (b *builder) example(v any, from string, idx int, method, structure string, paramNames []string) exampleView {
	pv, file, note := b.r.deref(v, from, "example pairing")
	p, _ := pv.(*object)
	if p == nil {
		return exampleView{Name: fmt.Sprintf("Example %d", idx+1), Notes: []string{firstNonEmpty(note, "invalid example pairing")}}
	}
	out := exampleView{
		Name:        firstNonEmpty(p.str("name"), fmt.Sprintf("Example %d", idx+1)),
		Summary:     p.str("summary"),
		Description: p.str("description"),
	}
	var params any
	switch raw := p.get("params").(type) {
	case *object: // tolerate a ready-made by-name object
		params = raw
	default:
		byName := newObject()
		var byPos []any
		for j, e := range p.arr("params") {
			val, name := b.exampleValue(e, file, fmt.Sprintf("params[%d]", j), &out)
			key := name
			if j < len(paramNames) && paramNames[j] != "" {
				key = paramNames[j]
			}
			if key == "" {
				key = fmt.Sprintf("param%d", j+1)
			}
			byPos = append(byPos, val)
			if !byName.has(key) {
				byName.keys = append(byName.keys, key)
			}
			byName.vals[key] = val
		}
		if structure == "by-position" {
			if byPos == nil {
				byPos = []any{}
			}
			params = byPos
		} else {
			params = byName
		}
	}
	req := newObject("jsonrpc", "2.0", "id", json.Number("1"), "method", method, "params", params)
	if !p.has("result") {
		// No result: the pairing shows a notification, which has no id.
		req = newObject("jsonrpc", "2.0", "method", method, "params", params)
		out.Notes = append(out.Notes, "Notification: no response is sent.")
	} else {
		val, _ := b.exampleValue(p.get("result"), file, "result", &out)
		out.Response = encodeJSON(newObject("jsonrpc", "2.0", "id", json.Number("1"), "result", val), "  ")
	}
	out.Request = encodeJSON(req, "  ")
	out.Params = encodeJSON(params, "  ")
	return out
}

// exampleValue resolves an Example object (or a reference to one) and
// returns its value and name.
func (b *builder) exampleValue(v any, from, where string, ex *exampleView) (any, string) {
	ev, _, note := b.r.deref(v, from, "example")
	e, _ := ev.(*object)
	switch {
	case note != "":
		ex.Notes = append(ex.Notes, where+": "+note)
		return nil, ""
	case e == nil:
		ex.Notes = append(ex.Notes, where+": not an Example object")
		return nil, ""
	case e.has("value"):
		return e.get("value"), e.str("name")
	case e.str("externalValue") != "":
		ex.Notes = append(ex.Notes, where+": external value "+e.str("externalValue"))
		return nil, e.str("name")
	}
	return nil, e.str("name")
}

// fillSchema computes the content of a schema section.
func (b *builder) fillSchema(s *schemaView) {
	v, file := s.value, s.file
	s.Type = b.typeOf(v, file, 0)
	if d := describe(v); d != s.Name { // a title equal to the name adds nothing
		s.Description = d
	}
	o, _ := v.(*object)
	if o == nil {
		return
	}
	s.Deprecated = o.boolean("deprecated")
	for _, c := range constraintsOf(v) {
		if c.Key != "deprecated" { // shown as a badge instead
			s.Constraints = append(s.Constraints, c)
		}
	}
	if _, isRef := refOf(o); isRef {
		return
	}
	s.Rows = b.propertyRows(o, file, "", 0, map[*object]bool{})
	if len(s.Rows) == 0 {
		s.Rows = b.nestedRows(o, file, "", 0, map[*object]bool{})
	}
	informative := false
	for _, kind := range []string{"allOf", "oneOf", "anyOf"} {
		for i, m := range o.arr(kind) {
			vv := variantView{Kind: kind, Index: i + 1, Type: b.typeOf(m, file, 0), Description: describe(m)}
			if mo, ok := m.(*object); ok {
				if _, isRef := refOf(mo); !isRef {
					vv.Rows = b.propertyRows(mo, file, "", 1, map[*object]bool{})
				}
			}
			informative = informative || vv.Description != "" || len(vv.Rows) > 0
			s.Variants = append(s.Variants, vv)
		}
	}
	if !informative {
		// The type expression already lists every variant.
		s.Variants = nil
	}
}

// describe returns a schema's description, falling back to its title.
func describe(v any) string {
	o, _ := v.(*object)
	return firstNonEmpty(o.str("description"), o.str("title"))
}

// propertyRows lists the properties of an inline object schema. It never
// follows $refs and stops at maxInlineDepth; visited guards against
// revisiting a schema node.
func (b *builder) propertyRows(v any, file, prefix string, depth int, visited map[*object]bool) []row {
	o, _ := v.(*object)
	if o == nil || depth > maxInlineDepth || visited[o] {
		return nil
	}
	if _, isRef := refOf(o); isRef {
		return nil
	}
	visited[o] = true
	required := map[string]bool{}
	for _, r := range o.arr("required") {
		if s, ok := r.(string); ok {
			required[s] = true
		}
	}
	var rows []row
	add := func(name string, ps any, req bool) {
		rows = append(rows, row{
			Name:        prefix + name,
			Depth:       depth,
			Type:        b.typeOf(ps, file, 0),
			Required:    req,
			Constraints: constraintsOf(ps),
			Description: describe(ps),
		})
		rows = append(rows, b.nestedRows(ps, file, prefix+name, depth+1, visited)...)
	}
	props := o.obj("properties")
	if props != nil {
		for _, k := range props.keys {
			add(k, props.get(k), required[k])
		}
	}
	if pp := o.obj("patternProperties"); pp != nil {
		for _, k := range pp.keys {
			add("/"+k+"/", pp.get(k), false)
		}
	}
	if ap, ok := o.get("additionalProperties").(*object); ok && (props != nil || o.has("patternProperties")) {
		add("*", ap, false)
	}
	return rows
}

// nestedRows expands an inline object schema, or an array of inline
// objects, below the row called name.
func (b *builder) nestedRows(v any, file, name string, depth int, visited map[*object]bool) []row {
	o, _ := v.(*object)
	if o == nil || depth > maxInlineDepth {
		return nil
	}
	if _, isRef := refOf(o); isRef {
		return nil
	}
	if o.has("properties") || o.has("patternProperties") {
		return b.propertyRows(o, file, name+".", depth, visited)
	}
	if items, ok := o.get("items").(*object); ok {
		if _, isRef := refOf(items); !isRef && (items.has("properties") || items.has("patternProperties")) {
			return b.propertyRows(items, file, name+"[].", depth, visited)
		}
	}
	return nil
}

// typeOf renders a schema as a readable type expression.
func (b *builder) typeOf(v any, file string, depth int) typeExpr {
	if depth > maxTypeDepth {
		return typeExpr{{Text: "…"}}
	}
	switch t := v.(type) {
	case nil:
		return typeExpr{{Text: "any"}}
	case bool:
		if t {
			return typeExpr{{Text: "any"}}
		}
		return typeExpr{{Text: "never"}}
	case *object:
		if ref, ok := refOf(t); ok {
			return b.schemaLink(file, ref)
		}
		return b.objectType(t, file, depth)
	}
	return typeExpr{{Text: "any"}}
}

// objectType renders a schema object: its types, then its combinations
// (allOf, oneOf, anyOf, not).
func (b *builder) objectType(o *object, file string, depth int) typeExpr {
	var out typeExpr
	for i, t := range schemaTypes(o) {
		if i > 0 {
			out = append(out, seg{Text: " | "})
		}
		switch t {
		case "array":
			out = append(out, b.arrayType(o, file, depth)...)
		case "object":
			out = append(out, b.mapType(o, file, depth)...)
		default:
			out = append(out, seg{Text: t})
		}
	}
	for _, kind := range []string{"allOf", "oneOf", "anyOf"} {
		out = b.combination(out, kind, o.arr(kind), file, depth)
	}
	if o.has("not") {
		out = b.combination(out, "not", []any{o.get("not")}, file, depth)
	}
	if len(out) == 0 {
		return typeExpr{{Text: "any"}}
	}
	return out.merge()
}

// schemaTypes returns the JSON types of schema o: its "type", or the
// types its other keywords imply.
func schemaTypes(o *object) []string {
	var types []string
	switch t := o.get("type").(type) {
	case string:
		types = []string{t}
	case []any:
		for _, e := range t {
			if s, ok := e.(string); ok {
				types = append(types, s)
			}
		}
	}
	if len(types) > 0 {
		return types
	}
	switch {
	case o.has("properties") || o.has("additionalProperties") || o.has("patternProperties"):
		return []string{"object"}
	case o.has("items") || o.has("prefixItems"):
		return []string{"array"}
	case o.has("const"):
		return []string{valueType(o.get("const"))}
	case o.has("enum"):
		seen := map[string]bool{}
		for _, e := range o.arr("enum") {
			if k := valueType(e); !seen[k] {
				seen[k] = true
				types = append(types, k)
			}
		}
	}
	return types
}

// combination appends to out the combination kind of members, such as
// "oneOf(A, B)", joined to what precedes with " & ".
func (b *builder) combination(out typeExpr, kind string, members []any, file string, depth int) typeExpr {
	if len(members) == 0 {
		return out
	}
	if len(out) > 0 {
		out = append(out, seg{Text: " & "})
	}
	out = append(out, seg{Text: kind + "("})
	for i, m := range members {
		if i == maxVariants {
			out = append(out, seg{Text: ", …"})
			break
		}
		if i > 0 {
			out = append(out, seg{Text: ", "})
		}
		out = append(out, b.typeOf(m, file, depth+1)...)
	}
	return append(out, seg{Text: ")"})
}

func (b *builder) arrayType(o *object, file string, depth int) typeExpr {
	tuple := o.arr("prefixItems")
	switch items := o.get("items").(type) {
	case []any: // draft-04..07 tuple form
		tuple = items
	case *object, bool:
		if tuple == nil {
			out := typeExpr{{Text: "array<"}}
			out = append(out, b.typeOf(items, file, depth+1)...)
			return append(out, seg{Text: ">"})
		}
	}
	if tuple == nil {
		return typeExpr{{Text: "array"}}
	}
	out := typeExpr{{Text: "["}}
	for i, e := range tuple {
		if i == maxVariants {
			out = append(out, seg{Text: ", …"})
			break
		}
		if i > 0 {
			out = append(out, seg{Text: ", "})
		}
		out = append(out, b.typeOf(e, file, depth+1)...)
	}
	return append(out, seg{Text: "]"})
}

func (b *builder) mapType(o *object, file string, depth int) typeExpr {
	ap, ok := o.get("additionalProperties").(*object)
	if !ok || o.has("properties") || o.has("patternProperties") {
		return typeExpr{{Text: "object"}}
	}
	out := typeExpr{{Text: "map<string, "}}
	out = append(out, b.typeOf(ap, file, depth+1)...)
	return append(out, seg{Text: ">"})
}

// merge joins adjacent plain-text segments.
func (t typeExpr) merge() typeExpr {
	var out typeExpr
	for _, s := range t {
		if n := len(out); n > 0 && s.Anchor == "" && out[n-1].Anchor == "" {
			out[n-1].Text += s.Text
			continue
		}
		out = append(out, s)
	}
	return out
}

// String returns the plain-text form of the type expression.
func (t typeExpr) String() string {
	var sb strings.Builder
	for _, s := range t {
		sb.WriteString(s.Text)
	}
	return sb.String()
}

func valueType(v any) string {
	switch t := v.(type) {
	case json.Number:
		if !strings.ContainsAny(t.String(), ".eE") {
			return "integer"
		}
		return "number"
	}
	return kindOf(v)
}

// constraintKeys lists the validation keywords shown in the constraints
// column, in display order.
var constraintKeys = []string{
	"format", "pattern", "contentEncoding", "contentMediaType",
	"minLength", "maxLength",
	"minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf",
	"minItems", "maxItems", "uniqueItems", "minContains", "maxContains",
	"minProperties", "maxProperties",
	"enum", "const", "default",
	"nullable", "readOnly", "writeOnly", "deprecated",
}

func constraintsOf(v any) []constraint {
	o, _ := v.(*object)
	if o == nil {
		return nil
	}
	var out []constraint
	for _, k := range constraintKeys {
		if !o.has(k) {
			continue
		}
		val := o.get(k)
		switch k {
		case "nullable", "readOnly", "writeOnly", "deprecated":
			if val == true {
				out = append(out, constraint{Key: k})
			}
			continue
		}
		var s string
		if str, ok := val.(string); ok && (k == "format" || k == "pattern" || k == "contentEncoding" || k == "contentMediaType") {
			s = str
		} else {
			s = encodeJSON(val, "")
		}
		out = append(out, constraint{Key: k, Value: clip(s)})
	}
	return out
}

// clip shortens s to maxValueLen runes.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= maxValueLen {
		return s
	}
	r := []rune(s)
	return string(r[:maxValueLen]) + "…"
}
