package gen

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"
)

const rawType = "json.RawMessage"

// typer turns schemas into Go types, declaring named types as it goes.
type typer struct {
	comps    map[string]any
	compType map[string]string // component name → Go type name
	cyclic   map[string]bool   // components that reach themselves by value
	taken    map[string]bool   // Go names declared or reserved
	decls    strings.Builder
	notes    []string
	sums     bool // a sum type was declared: emit its helpers
}

// unique returns name, or name with the smallest suffix that is free,
// reporting the clash.
func (t *typer) unique(name, what string) string {
	n := name
	for i := 2; t.taken[n]; i++ {
		n = fmt.Sprintf("%s%d", name, i)
	}
	if n != name {
		t.notes = append(t.notes, fmt.Sprintf("name clash: %s would be %s, which is taken; it is %s", what, name, n))
	}
	t.taken[n] = true
	return n
}

func str(m map[string]any, k string) string { s, _ := m[k].(string); return s }

// preferredName is x-go-name, then title (as a Go name), else "".
func preferredName(m map[string]any) string {
	if n := str(m, "x-go-name"); n != "" {
		return goName(n)
	}
	if n := str(m, "title"); n != "" {
		return goName(n)
	}
	return ""
}

// refName returns the component a schema refers to.
func refName(m map[string]any) (string, bool) {
	ref := str(m, "$ref")
	n, ok := strings.CutPrefix(ref, "#/components/schemas/")
	return n, ok
}

// deref follows references to components.
func (t *typer) deref(s any) any {
	for range 32 {
		m, ok := s.(map[string]any)
		if !ok {
			return s
		}
		n, ok := refName(m)
		if !ok {
			return s
		}
		s = t.comps[n]
	}
	return s
}

// comment writes text as a doc comment.
func comment(b *strings.Builder, text string) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t\r")
		if line == "" {
			b.WriteString("//\n")
		} else {
			b.WriteString("// " + line + "\n")
		}
	}
}

func describe(m map[string]any) string {
	d := str(m, "description")
	if d == "" {
		d = str(m, "summary")
	}
	return d
}

// nullable splits off "null" from a schema: the remaining schema and
// whether null was allowed.
func nullable(m map[string]any) (map[string]any, bool) {
	if ts, ok := m["type"].([]any); ok && len(ts) == 2 && slices.Contains(ts, any("null")) {
		c := clone(m)
		for _, x := range ts {
			if x != "null" {
				c["type"] = x
			}
		}
		return c, true
	}
	if b, _ := m["nullable"].(bool); b {
		c := clone(m)
		delete(c, "nullable")
		return c, true
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		bs, ok := m[k].([]any)
		if !ok || len(bs) < 2 {
			continue
		}
		var rest []any
		null := false
		for _, b := range bs {
			if bm, ok := b.(map[string]any); ok && bm["type"] == "null" && len(bm) == 1 {
				null = true
				continue
			}
			rest = append(rest, b)
		}
		if !null {
			continue
		}
		c := clone(m)
		if len(rest) == 1 {
			delete(c, k)
			if rm, ok := rest[0].(map[string]any); ok && len(c) == 0 {
				return rm, true
			}
			c["allOf"] = rest
			return c, true
		}
		c[k] = rest
		return c, true
	}
	return m, false
}

func clone(m map[string]any) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// nilable reports whether a Go type expression has nil as a value.
func nilable(expr string) bool {
	return strings.HasPrefix(expr, "*") || strings.HasPrefix(expr, "[]") || strings.HasPrefix(expr, "map[") || expr == rawType
}

// typeOf returns the Go type of schema s, declaring named types under
// name (already unique) when it needs one, and a reason when the type is
// json.RawMessage.
func (t *typer) typeOf(s any, name string, named bool) (expr, why string) {
	m, ok := s.(map[string]any)
	if !ok {
		if b, ok := s.(bool); ok && !b {
			return rawType, "the schema accepts no value"
		}
		return rawType, "any JSON value"
	}
	if n, ok := refName(m); ok {
		if len(m) == 1 || onlyAnnotations(m) {
			return t.compType[n], ""
		}
	}
	inner, null := nullable(m)
	if null {
		e, why := t.typeOf(inner, name, named)
		if nilable(e) {
			return e, why
		}
		return "*" + e, why
	}
	if en, ok := m["enum"].([]any); ok && len(en) > 0 {
		return t.enum(m, en, name, named)
	}
	if c, ok := m["const"]; ok {
		switch c.(type) {
		case string:
			return "string", ""
		case bool:
			return "bool", ""
		}
		return rawType, "a constant"
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if bs, ok := m[k].([]any); ok && len(bs) > 0 {
			if len(bs) == 1 {
				return t.typeOf(bs[0], name, named)
			}
			return t.sum(m, k, bs, t.declName(m, name, named), named)
		}
	}
	if parts, ok := m["allOf"].([]any); ok && len(parts) > 0 {
		return t.allOf(m, parts, name, named)
	}
	typ := m["type"]
	if ts, ok := typ.([]any); ok {
		if len(ts) == 1 {
			typ = ts[0]
		} else {
			return rawType, "a value of several types"
		}
	}
	if typ == nil {
		switch {
		case m["properties"] != nil || m["additionalProperties"] != nil:
			typ = "object"
		case m["items"] != nil:
			typ = "array"
		default:
			return rawType, "any JSON value (the schema has no type)"
		}
	}
	switch typ {
	case "string":
		return "string", ""
	case "boolean":
		return "bool", ""
	case "number":
		return "float64", ""
	case "integer":
		return intType(m), ""
	case "null":
		return rawType, "always null"
	case "array":
		items, ok := m["items"]
		if !ok {
			return "[]" + rawType, ""
		}
		if _, tuple := items.([]any); tuple {
			return rawType, "a tuple (items is an array)"
		}
		if m["prefixItems"] != nil {
			return rawType, "a tuple (prefixItems)"
		}
		e, _ := t.typeOf(items, t.inlineName(items, name+"Item"), false)
		return "[]" + e, ""
	case "object":
		if props, ok := m["properties"].(map[string]any); ok && len(props) > 0 {
			return t.object(m, props, nil, t.declName(m, name, named), named)
		}
		if ap, ok := m["additionalProperties"].(map[string]any); ok {
			e, _ := t.typeOf(ap, t.inlineName(ap, name+"Value"), false)
			return "map[string]" + e, ""
		}
		return "map[string]" + rawType, ""
	}
	return rawType, fmt.Sprintf("unknown type %v", typ)
}

// onlyAnnotations reports whether m is a reference with annotations only.
func onlyAnnotations(m map[string]any) bool {
	for k := range m {
		switch k {
		case "$ref", "description", "title", "summary", "$comment", "deprecated", "examples", "default", "readOnly", "writeOnly":
		default:
			if !strings.HasPrefix(k, "x-") {
				return false
			}
		}
	}
	return true
}

// declName returns the name a named type of schema m takes: name itself
// for a component, else a free name from x-go-name, title or name.
func (t *typer) declName(m map[string]any, name string, named bool) string {
	if named {
		return name
	}
	return t.inlineName(m, name)
}

// inlineName is the name an inline schema's type takes if it needs one:
// its x-go-name or title, else hint (a path: parent type and member).
// The name is claimed only when a type is declared.
func (t *typer) inlineName(s any, hint string) string {
	if m, ok := s.(map[string]any); ok {
		if p := preferredName(m); p != "" {
			hint = p
		}
	}
	return hint
}

func (t *typer) claim(name string) string { return t.unique(name, "an inline schema") }

func intType(m map[string]any) string {
	switch str(m, "format") {
	case "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64":
		return str(m, "format")
	}
	minV, maxV := num(m["minimum"]), num(m["maximum"])
	if minV != nil && minV.Sign() >= 0 && maxV != nil && maxV.Cmp(new(big.Float).SetUint64(1<<63-1)) > 0 {
		return "uint64"
	}
	return "int64"
}

func num(v any) *big.Float {
	switch x := v.(type) {
	case json.Number:
		f, _, err := big.ParseFloat(string(x), 10, 128, big.ToNearestEven)
		if err == nil {
			return f
		}
	case float64:
		return big.NewFloat(x)
	}
	return nil
}

func (t *typer) enum(m map[string]any, values []any, name string, named bool) (string, string) {
	for _, v := range values {
		if _, ok := v.(string); !ok {
			base, why := t.typeOf(withoutEnum(m), name, named)
			return base, why
		}
	}
	name = t.declName(m, name, named)
	if !named {
		name = t.claim(name)
	}
	comment(&t.decls, name+" is one of the values listed below. "+describe(m))
	fmt.Fprintf(&t.decls, "type %s string\n\n", name)
	t.decls.WriteString("const (\n")
	seen := map[string]bool{}
	for _, v := range values {
		s := v.(string)
		suffix := goName(s)
		if s == "" {
			suffix = "Empty"
		}
		c := name + strings.TrimPrefix(suffix, "X")
		if strings.HasPrefix(suffix, "X") && len(s) > 0 && (s[0] == 'x' || s[0] == 'X') {
			c = name + suffix
		}
		if seen[c] || t.taken[c] {
			c = t.unique(c, fmt.Sprintf("enum value %q of %s", s, name))
		}
		seen[c] = true
		t.taken[c] = true
		fmt.Fprintf(&t.decls, "\t%s %s = %s\n", c, name, strconv.Quote(s))
	}
	t.decls.WriteString(")\n\n")
	return name, ""
}

func withoutEnum(m map[string]any) map[string]any {
	c := clone(m)
	delete(c, "enum")
	return c
}

// object declares a struct for props (plus the parts merged in by allOf).
func (t *typer) object(m map[string]any, props map[string]any, required []string, name string, named bool) (string, string) {
	if !named {
		name = t.claim(name)
	}
	required = append(required, asStrings(m["required"])...)
	var b strings.Builder
	fields := map[string]bool{}
	var lines []string
	for _, p := range slices.Sorted(maps.Keys(props)) {
		ps := props[p]
		pm, _ := ps.(map[string]any)
		fname := fieldName(p)
		if pm != nil && str(pm, "x-go-name") != "" {
			fname = goName(str(pm, "x-go-name"))
		}
		for i := 2; fields[fname]; i++ {
			fname = fmt.Sprintf("%s%d", fieldName(p), i)
		}
		fields[fname] = true
		req := slices.Contains(required, p)
		expr, why := t.typeOf(ps, t.inlineName(ps, name+fieldName(p)), false)
		tag := p
		if !req {
			tag += ",omitempty"
			if !nilable(expr) {
				expr = "*" + expr
			}
		} else if n, ok := pm["$ref"].(string); ok && t.cyclic[strings.TrimPrefix(n, "#/components/schemas/")] && !nilable(expr) {
			expr = "*" + expr
		}
		var fb strings.Builder
		if pm != nil {
			comment(&fb, describe(pm))
			if f := str(pm, "format"); f != "" {
				fb.WriteString("// Format: " + f + ".\n")
			}
			if d, _ := pm["deprecated"].(bool); d {
				fb.WriteString("//\n// Deprecated: the document marks this property as deprecated.\n")
			}
		}
		if why != "" {
			fb.WriteString("// Raw JSON: " + why + ".\n")
		}
		fmt.Fprintf(&fb, "%s %s `json:%s`\n", fname, expr, strconv.Quote(tag))
		lines = append(lines, fb.String())
	}
	d := describe(m)
	if d == "" {
		d = "is an object of the document."
	} else {
		d = "is " + d
	}
	comment(&b, name+" "+d)
	if dep, _ := m["deprecated"].(bool); dep {
		b.WriteString("//\n// Deprecated: the document marks this schema as deprecated.\n")
	}
	fmt.Fprintf(&b, "type %s struct {\n", name)
	for _, l := range lines {
		b.WriteString(l)
	}
	b.WriteString("}\n\n")
	t.decls.WriteString(b.String())
	return name, ""
}

func asStrings(v any) []string {
	var out []string
	if l, ok := v.([]any); ok {
		for _, x := range l {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// allOf merges object parts into one struct; one part is that part's
// type; anything else is raw JSON.
func (t *typer) allOf(m map[string]any, parts []any, name string, named bool) (string, string) {
	rest := clone(m)
	delete(rest, "allOf")
	if len(parts) == 1 && len(rest) == 0 || len(parts) == 1 && onlyAnnotations(rest) {
		return t.typeOf(parts[0], name, named)
	}
	props := map[string]any{}
	var required []string
	all := append([]any{rest}, parts...)
	for i, p := range all {
		pm, ok := t.deref(p).(map[string]any)
		if !ok {
			return rawType, "allOf of non-object parts"
		}
		if i == 0 && len(pm) == 0 {
			continue
		}
		if sub, ok := pm["allOf"].([]any); ok && i > 0 {
			all = append(all, sub...)
		}
		typ := pm["type"]
		pp, hasProps := pm["properties"].(map[string]any)
		if typ != nil && typ != "object" || !hasProps && typ == nil && pm["allOf"] == nil && i > 0 {
			return rawType, "allOf of parts that are not all objects"
		}
		for k, v := range pp {
			if _, dup := props[k]; !dup {
				props[k] = v
			}
		}
		required = append(required, asStrings(pm["required"])...)
	}
	if len(props) == 0 {
		return "map[string]" + rawType, ""
	}
	mm := clone(rest)
	delete(mm, "required")
	return t.object(mm, props, required, t.declName(m, name, named), named)
}

// sum declares a sum type for oneOf/anyOf branches.
func (t *typer) sum(m map[string]any, kw string, branches []any, name string, named bool) (string, string) {
	if !named {
		name = t.claim(name)
	}
	t.sums = true
	type branch struct{ field, expr, kinds string }
	var bs []branch
	used := map[string]bool{}
	for _, b := range branches {
		bm, _ := b.(map[string]any)
		fname := ""
		if bm != nil {
			if n, ok := refName(bm); ok {
				fname = t.compType[n]
			} else if p := preferredName(bm); p != "" {
				fname = p
			}
		}
		kinds := t.kinds(b)
		if fname == "" {
			fname = goName(strings.ReplaceAll(kinds, " ", "Or"))
			if kinds == "" {
				fname = "Value"
			}
		}
		for j := 2; used[fname]; j++ {
			fname = fmt.Sprintf("%s%d", strings.TrimRight(fname, "0123456789"), j)
		}
		used[fname] = true
		expr, _ := t.typeOf(b, t.inlineName(b, name+fname), false)
		bs = append(bs, branch{fname, expr, kinds})
	}
	var b strings.Builder
	d := describe(m)
	comment(&b, fmt.Sprintf("%s is a sum type (%s): exactly one field is set. %s", name, kw, d))
	b.WriteString("// Decoding tries the branches in order and keeps the first that accepts the value; encoding writes the set branch.\n")
	fmt.Fprintf(&b, "type %s struct {\n", name)
	for _, br := range bs {
		fmt.Fprintf(&b, "%s *%s\n", br.field, br.expr)
	}
	b.WriteString("}\n\n")
	for _, br := range bs {
		fmt.Fprintf(&b, "// %sFrom%s returns a %s holding v.\nfunc %sFrom%s(v %s) %s { return %s{%s: &v} }\n\n",
			name, br.field, name, name, br.field, br.expr, name, name, br.field)
		fmt.Fprintf(&b, "// As%s returns the %s branch, if set.\nfunc (u %s) As%s() (%s, bool) {\nif u.%s == nil {\nvar zero %s\nreturn zero, false\n}\nreturn *u.%s, true\n}\n\n",
			br.field, br.field, name, br.field, br.expr, br.field, br.expr, br.field)
	}
	fmt.Fprintf(&b, "// MarshalJSON writes the set branch.\nfunc (u %s) MarshalJSON() ([]byte, error) {\nswitch {\n", name)
	for _, br := range bs {
		fmt.Fprintf(&b, "case u.%s != nil:\nreturn json.Marshal(u.%s)\n", br.field, br.field)
	}
	fmt.Fprintf(&b, "}\nreturn nil, errors.New(%s)\n}\n\n", strconv.Quote(name+": no branch is set"))
	fmt.Fprintf(&b, "// UnmarshalJSON sets the first branch that accepts data.\nfunc (u *%s) UnmarshalJSON(data []byte) error {\n*u = %s{}\nkind := jsonKind(data)\n", name, name)
	for _, br := range bs {
		fmt.Fprintf(&b, "if kindIn(kind, %s) {\nvar v %s\nif decodeStrict(data, &v) == nil {\nu.%s = &v\nreturn nil\n}\n}\n", strconv.Quote(br.kinds), br.expr, br.field)
	}
	fmt.Fprintf(&b, "return errors.New(%s)\n}\n\n", strconv.Quote(name+": the value matches none of the branches"))
	t.decls.WriteString(b.String())
	return name, ""
}

// kinds lists the JSON kinds a schema accepts ("" for any).
func (t *typer) kinds(s any) string {
	m, ok := t.deref(s).(map[string]any)
	if !ok {
		return ""
	}
	if inner, null := nullable(m); null {
		k := t.kinds(inner)
		if k == "" {
			return ""
		}
		return k + " null"
	}
	if en, ok := m["enum"].([]any); ok {
		seen := map[string]bool{}
		for _, v := range en {
			switch v.(type) {
			case string:
				seen["string"] = true
			case json.Number:
				seen["number"] = true
			case bool:
				seen["boolean"] = true
			case nil:
				seen["null"] = true
			default:
				return ""
			}
		}
		return strings.Join(slices.Sorted(maps.Keys(seen)), " ")
	}
	switch typ := m["type"].(type) {
	case string:
		return typ
	case []any:
		return strings.Join(asStrings(typ), " ")
	}
	if m["properties"] != nil || m["additionalProperties"] != nil {
		return "object"
	}
	if m["items"] != nil {
		return "array"
	}
	if parts, ok := m["allOf"].([]any); ok && len(parts) > 0 {
		return t.kinds(parts[0])
	}
	return ""
}

// helpers is the code sum types use.
const helpers = `
// jsonKind returns the JSON kind of a value: object, array, string,
// integer, number, boolean or null.
func jsonKind(data []byte) string {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return ""
	}
	switch data[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	if bytes.ContainsAny(data, ".eE") {
		return "number"
	}
	return "integer"
}

// kindIn reports whether kind is among the space-separated kinds ("" is
// any kind); an integer is a number too.
func kindIn(kind, kinds string) bool {
	if kinds == "" {
		return true
	}
	for _, k := range strings.Fields(kinds) {
		if k == kind || k == "number" && kind == "integer" {
			return true
		}
	}
	return false
}

// decodeStrict decodes data into v, refusing unknown object members.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
`
