package lint

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
	"github.com/schemarpc/schemarpc/validate"
)

// Options configures [Check].
type Options struct {
	// Name names the document in findings, typically the path it was
	// read from. The zero value names it "openrpc.json".
	Name string
	// BaseDir is the directory that references to other files
	// ("schemas.json#/components/schemas/Pet") are resolved against,
	// normally the document's own directory. Files outside it are never
	// read. When empty, a reference to another file is a finding.
	BaseDir string
}

// A Document is a checked OpenRPC document, ready to check payloads
// against with [Document.Payloads]. Methods whose schemas could not be
// compiled are still known by name; their params or results are not
// checked. A Document is immutable and safe for concurrent use.
type Document struct {
	name    string
	version string
	methods map[string]*method
	names   []string // method names in document order
}

// Version returns the document's "openrpc" version as written.
func (d *Document) Version() string { return d.version }

// Methods returns the names of the document's methods in document order.
func (d *Document) Methods() []string { return slices.Clone(d.names) }

// A method is what payload checks need to know about a method.
type method struct {
	name     string
	shape    validate.Params // how the method takes params, as the server sees it
	names    []string        // declared param names in positional order
	variadic bool            // one param that repeats: params are an array
	params   *validate.Validator
	result   *validate.Validator
	errors   map[int64]bool // declared error codes
}

// CheckFile reads the document at path and checks it like [Check], with
// references to other files resolved against the document's directory.
// It returns an error only when path cannot be read or ctx is done.
func CheckFile(ctx context.Context, path string) (*Document, []Finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return Check(ctx, data, Options{Name: path, BaseDir: filepath.Dir(path)})
}

// Check checks data, the JSON of an OpenRPC document of any published
// version (1.0.0-rc0 to 1.3.x against the OpenRPC 1.3.2 meta-schema, 1.4.x
// against the 1.4 meta-schema), and returns it ready for payload checks
// with the findings sorted by file and pointer. Beyond the meta-schema it
// checks that method names are unique, that param names are unique per
// method, that required params precede optional ones, that every $ref
// resolves, that every params and result schema compiles and that every
// example matches its schema. Each finding has a [Severity]: examples
// that contradict their schemas, or are too complex to check, and unknown
// formats are warnings; the rest are errors.
//
// The document is nil only when data is not a JSON object. Check returns
// an error only when ctx is done before it has finished; it checks ctx
// between steps and between methods.
func Check(ctx context.Context, data []byte, opts Options) (doc *Document, findings []Finding, err error) {
	if opts.Name == "" {
		opts.Name = "openrpc.json"
	}
	defer func() {
		// The last line of defence for untrusted documents: a bug here or
		// in a library is one finding, never a crash of the caller.
		if p := recover(); p != nil {
			doc, err = nil, nil
			findings = []Finding{{File: opts.Name, Index: -1, Keyword: "internal",
				Message: fmt.Sprintf("the checker failed on this document (%v); please report it with the document", p)}}
		}
	}()
	return check(ctx, data, opts)
}

func check(ctx context.Context, data []byte, opts Options) (*Document, []Finding, error) {
	c := &checker{ctx: ctx, name: opts.Name}
	v, err := DecodeJSON(data)
	if err != nil {
		f := Finding{File: opts.Name, Index: -1, Keyword: "json", Message: "not valid JSON: " + err.Error()}
		var se *syntaxError
		if errors.As(err, &se) {
			f.Line, f.Column, f.Message = se.line, se.column, "not valid JSON: "+se.msg
		}
		return nil, []Finding{f}, nil
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, []Finding{{File: opts.Name, Index: -1, Keyword: "type",
			Message: fmt.Sprintf("an OpenRPC document is a JSON object, not %s", kindOf(v))}}, nil
	}
	if d := depthOf(root); d > MaxDepth {
		return nil, []Finding{{File: opts.Name, Index: -1, Keyword: "depth",
			Message: fmt.Sprintf("the document nests %d levels deep; validate checks documents up to %d levels deep (a bound that keeps the checks fast)", d, MaxDepth),
			Hint:    "real schemas nest a few dozen levels: name deep parts in components and refer to them"}}, nil
	}
	c.root = root
	c.refs, err = jsonptr.NewResolver(root, opts.BaseDir, filepath.ToSlash(filepath.Dir(opts.Name)), DecodeJSON)
	if err != nil { // an unusable base directory: references to other files fail
		c.refs, _ = jsonptr.NewResolver(root, "", "", DecodeJSON)
	}
	c.display = filepath.ToSlash(filepath.Dir(opts.Name))
	defer c.refs.Close()

	doc := &Document{name: opts.Name, methods: map[string]*method{}}
	doc.version, _ = root["openrpc"].(string)
	for _, step := range []func(){
		func() { c.checkMetaSchema(doc.version, data) },
		c.checkFormats,
		c.checkRefs,
		c.prepareCompiler,
		func() { c.checkMethods(doc) },
	} {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		step()
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	slices.SortStableFunc(c.findings, compareFindings)
	c.findings = slices.CompactFunc(c.findings, func(a, b Finding) bool { return a == b })
	return doc, c.findings, nil
}

// MaxDepth bounds the nesting of arrays and objects in a document that
// [Check] checks: the meta-schema and schema checks take time superlinear
// in the depth (a schema nesting objects 1,000 levels, 2,000 levels of
// JSON, took 7 s; 2,000 levels 52 s). A deeper document is one finding
// of keyword "depth".
const MaxDepth = 1024

// depthOf returns the nesting depth of arrays and objects in v: 0 for a
// scalar.
func depthOf(v any) int {
	d := 0
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			d = max(d, depthOf(e))
		}
	case []any:
		for _, e := range x {
			d = max(d, depthOf(e))
		}
	default:
		return 0
	}
	return d + 1
}

// checker holds the state of one Check.
type checker struct {
	ctx      context.Context
	name     string
	display  string // the directory of the document, to name other files
	root     map[string]any
	refs     *jsonptr.Resolver
	findings []Finding
	formats  map[string]*formatUse // unknown formats of the document's schemas

	compileOpts []validate.Option
	cache       map[string]compiled
}

type compiled struct {
	v   *validate.Validator
	err error
}

// reported reports whether a finding lies at or below ptr already.
func (c *checker) reported(ptr string) bool {
	for _, f := range c.findings {
		if f.File == c.name && (f.Pointer == ptr || strings.HasPrefix(f.Pointer, ptr+"/")) {
			return true
		}
	}
	return false
}

// add records an error in the document at ptr.
func (c *checker) add(ptr, keyword, msg, hint string) {
	c.findings = append(c.findings, Finding{File: c.name, Index: -1, Method: c.methodAt(ptr),
		Pointer: ptr, Keyword: keyword, Message: msg, Hint: hint})
}

// warn records a warning in the document at ptr.
func (c *checker) warn(ptr, keyword, msg, hint string) {
	c.add(ptr, keyword, msg, hint)
	c.findings[len(c.findings)-1].Severity = SeverityWarning
}

// methodAt names the method whose object holds ptr, or "".
func (c *checker) methodAt(ptr string) string {
	rest, ok := strings.CutPrefix(ptr, "/methods/")
	if !ok {
		return ""
	}
	idx, _, _ := strings.Cut(rest, "/")
	i, err := strconv.Atoi(idx)
	if err != nil {
		return ""
	}
	ms, _ := c.root["methods"].([]any)
	if i < 0 || i >= len(ms) {
		return ""
	}
	m, _ := ms[i].(map[string]any)
	if name, ok := m["name"].(string); ok && name != "" {
		return name
	}
	if ref, ok := jsonptr.RefOf(m); ok {
		if v, _, err := c.resolve("", ref); err == nil {
			if rm, ok := v.(map[string]any); ok {
				if name, ok := rm["name"].(string); ok {
					return name
				}
			}
		}
	}
	return ""
}

// versions132 lists the versions the OpenRPC 1.3.2 meta-schema accepts.
var versions132 = []string{"1.0.0-rc0", "1.0.0-rc1", "1.0.0",
	"1.1.0", "1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6", "1.1.7", "1.1.8", "1.1.9", "1.1.10", "1.1.11", "1.1.12",
	"1.2.0", "1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.2.6",
	"1.3.0", "1.3.1", "1.3.2"}

var version14RE = regexp.MustCompile(`^1\.4\.\d+$`)

// checkMetaSchema checks the version and validates the document against
// the meta-schema of its version.
func (c *checker) checkMetaSchema(version string, data []byte) {
	raw, present := c.root["openrpc"]
	known := slices.Contains(versions132, version) || version14RE.MatchString(version)
	switch {
	case !present, known:
	case version == "":
		c.add("/openrpc", "openrpc", fmt.Sprintf("the OpenRPC version must be a string such as \"1.3.2\", not %s", kindOf(raw)), "")
		return
	default:
		c.add("/openrpc", "openrpc", fmt.Sprintf("unknown OpenRPC version %q: known versions are 1.0.0-rc0 to 1.3.2 (checked against the OpenRPC 1.3.2 meta-schema) and 1.4.x (the 1.4 meta-schema)", version),
			"set \"openrpc\" to the version of the specification the document follows, such as \"1.3.2\"")
	}
	mv := version
	if !present {
		mv = "1.3.2"
	}
	meta, err := validate.MetaSchema(mv)
	if err != nil {
		return // an unknown version without a meta-schema: semantic checks only
	}
	err = meta.ValidateJSON(data)
	var verr *validate.Error
	if !errors.As(err, &verr) {
		return
	}
	for _, v := range verr.Violations {
		if v.Pointer == "/openrpc" && present && !known {
			continue // reported above, in plainer words
		}
		msg, hint := explain(c.root, v)
		if v.Keyword == "format" && serverURL.MatchString(v.Pointer) {
			c.checkServerURL(v.Pointer, msg)
			continue
		}
		c.add(v.Pointer, v.Keyword, msg, hint)
	}
}

// serverURL matches the pointers of the URLs of Server Objects: of the
// document, of a method, of a link.
var serverURL = regexp.MustCompile(`(^|/)servers/\d+/url$|/server/url$`)

// serverVariable matches a server variable in a URL: {name}, or ${name}
// as some documents write it.
var serverVariable = regexp.MustCompile(`\$?\{[^{}]*\}`)

// checkServerURL checks a server URL that is not a URI, as the
// meta-schema wants: the specification allows more, since a server URL
// "supports Server Variables and MAY be relative". One that is not a URL
// even with its variables replaced is a warning.
func (c *checker) checkServerURL(ptr, msg string) {
	raw, _ := lookupOr(c.root, ptr).(string)
	if u, err := url.Parse(serverVariable.ReplaceAllString(raw, "1")); err == nil && (u.Scheme != "" || u.Host == "") {
		return
	}
	c.warn(ptr, "format", msg+", even with its variables replaced",
		"a server URL is an absolute or relative URL, with {variables} if need be")
}

// formatSchema asserts the formats that the OpenRPC specification requires
// in prose but its meta-schemas leave out.
const formatSchema = `{
  "properties": {
    "info": {"properties": {
      "termsOfService": {"format": "uri"},
      "contact": {"properties": {"email": {"format": "email"}, "url": {"format": "uri"}}},
      "license": {"properties": {"url": {"format": "uri"}}}
    }},
    "externalDocs": {"properties": {"url": {"format": "uri"}}}
  }
}`

var formatValidator = sync.OnceValue(func() *validate.Validator {
	v, err := validate.Compile([]byte(formatSchema))
	if err != nil {
		panic(err) // a constant schema
	}
	return v
})

// checkFormats asserts the formats of the document's URLs and e-mail
// addresses.
func (c *checker) checkFormats() {
	var verr *validate.Error
	if errors.As(formatValidator().Validate(c.root), &verr) {
		for _, v := range verr.Violations {
			c.add(v.Pointer, v.Keyword, v.Message, "")
		}
	}
}

// prepareCompiler gathers what every schema of the document is compiled
// with: its component schemas and the other files it reaches.
func (c *checker) prepareCompiler() {
	c.cache = map[string]compiled{}
	if comps, ok := c.root["components"].(map[string]any); ok {
		if schemas, ok := comps["schemas"].(map[string]any); ok {
			raw, err := json.Marshal(schemas)
			if err == nil {
				c.compileOpts = append(c.compileOpts, validate.WithComponents(raw))
			}
		}
	}
	for _, f := range c.refs.Files() {
		if f.Err == nil {
			c.compileOpts = append(c.compileOpts, validate.WithResource(f.Name, f.Raw))
		}
	}
}

// compile compiles a schema as the server does: JSON Schema draft 2020-12
// unless the schema says otherwise, with "#/components/schemas/X"
// resolving to the document's components. Schemas written for draft-07,
// which OpenRPC documents up to 1.3 follow, are compiled as such when
// draft 2020-12 rejects them.
func (c *checker) compile(schema any) (*validate.Validator, error) {
	raw, err := json.Marshal(schema)
	if err != nil {
		return nil, err
	}
	key := string(raw)
	if r, ok := c.cache[key]; ok {
		return r.v, r.err
	}
	v, err := validate.Compile(raw, c.compileOpts...)
	if err != nil {
		if v7, err7 := validate.Compile(raw, append(slices.Clip(c.compileOpts), validate.WithDraft7())...); err7 == nil {
			v, err = v7, nil
		}
	}
	if err != nil {
		ce := &compileError{msg: cleanCompileError(err)}
		errors.As(err, &ce.at)
		err = ce
	}
	c.cache[key] = compiled{v, err}
	return v, err
}

// A compileError is why a schema does not compile, with the place of the
// fault when the compiler names one.
type compileError struct {
	msg string
	at  *validate.SchemaError // nil: no single place
}

func (e *compileError) Error() string { return e.msg }

// reportCompile records that the schema at ptr, described by what ("the
// schema of param \"a\""), does not compile. The finding points at the
// fault itself when the compiler names it: in a component of the
// document, or inside the schema at ptr. A fault reported already (by
// the meta-schema, or for another method sharing the component) is not
// reported again.
func (c *checker) reportCompile(ptr, what string, err error) {
	if c.causedByRef(err) {
		return
	}
	at, msg := ptr, err.Error()
	var ce *compileError
	if errors.As(err, &ce) && ce.at != nil && ce.at.Resource == "" {
		at, msg = ptr+ce.at.Pointer, ce.at.Message
		if strings.HasPrefix(ce.at.Pointer, "/components/") {
			at = ce.at.Pointer
		}
	}
	if c.reported(at) {
		return
	}
	c.add(at, "compile", what+" does not compile: "+msg, "")
}

// precompile compiles schemas together with validate.CompileEach and
// caches those that compile; the others are left to compile, which
// retries them alone and as draft-07.
func (c *checker) precompile(schemas []any) {
	var raws [][]byte
	seen := map[string]bool{}
	for _, s := range schemas {
		raw, err := json.Marshal(s)
		if err != nil || seen[string(raw)] {
			continue
		}
		if _, ok := c.cache[string(raw)]; ok {
			continue
		}
		seen[string(raw)] = true
		raws = append(raws, raw)
	}
	vs, errs := validate.CompileEach(raws, c.compileOpts...)
	for i, raw := range raws {
		if errs[i] == nil {
			c.cache[string(raw)] = compiled{v: vs[i]}
		}
	}
}

// cleanCompileError strips the compiler's internal names from err.
func cleanCompileError(err error) string {
	s := strings.TrimPrefix(err.Error(), "validate: ")
	s = strings.ReplaceAll(s, "schemarpc:///schema.json#", "#")
	s = strings.ReplaceAll(s, "schemarpc:///schema.json", "#")
	s = strings.ReplaceAll(s, "schemarpc:///", "")
	return s
}

// resolveObject returns the object v, following it when it is a
// Reference Object; ok is false when it is neither an object nor a
// resolvable reference (the reference check reports those).
func (c *checker) resolveObject(v any) (map[string]any, bool) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	ref, isRef := jsonptr.RefOf(obj)
	if !isRef {
		return obj, true
	}
	target, _, err := c.resolve("", ref)
	if err != nil {
		return nil, false
	}
	obj, ok = target.(map[string]any)
	return obj, ok
}

// checkMethods runs the per-method checks and builds the document's
// methods. The schemas of all methods are compiled together first, so that
// the components they share are compiled once.
func (c *checker) checkMethods(doc *Document) {
	ms, _ := c.root["methods"].([]any)
	first := map[string]int{}
	var decls []*methodDecl
	for i, mv := range ms {
		ptr := "/methods/" + strconv.Itoa(i)
		obj, ok := c.resolveObject(mv)
		if !ok {
			continue
		}
		name, _ := obj["name"].(string)
		if name == "" {
			continue
		}
		if j, dup := first[name]; dup {
			c.add(ptr+"/name", "uniqueMethodName",
				fmt.Sprintf("method %q is declared twice (first at /methods/%d)", name, j),
				"method names are what clients call: rename or remove one of them")
			continue
		}
		first[name] = i
		doc.names = append(doc.names, name)
		decls = append(decls, c.declareMethod(name, ptr, obj))
	}
	var schemas []any
	for _, d := range decls {
		if d.paramsSchema != nil {
			schemas = append(schemas, d.paramsSchema)
		}
		if d.hasResult {
			schemas = append(schemas, d.resultSchema)
		}
	}
	c.precompile(schemas)
	for _, d := range decls {
		if c.ctx.Err() != nil {
			return
		}
		doc.methods[d.m.name] = c.finishMethod(d)
	}
}

// param is a resolved content descriptor of a param.
type param struct {
	name     string
	required bool
	schema   any
}

// A methodDecl is a method object read and checked, before its schemas
// are compiled.
type methodDecl struct {
	m            *method
	ptr          string
	obj          map[string]any
	params       []param
	paramsSchema any // nil: not to be compiled
	resultSchema any
	hasResult    bool
}

// declareMethod reads and checks the method object obj at ptr, member by
// member.
func (c *checker) declareMethod(name, ptr string, obj map[string]any) *methodDecl {
	m := &method{name: name}
	d := &methodDecl{m: m, ptr: ptr, obj: obj}
	rawParams, _ := obj["params"].([]any)
	params, complete := c.declareParams(ptr, rawParams)
	d.params = params
	for _, p := range params {
		m.names = append(m.names, p.name)
	}
	variadicName, _ := obj["x-variadic"].(string)
	m.variadic = len(params) == 1 && variadicName != "" && params[0].name == variadicName
	m.shape = paramsShape(name, obj, m, len(rawParams))
	if complete && len(rawParams) > 0 {
		d.paramsSchema = paramsSchema(params, m.variadic)
	}
	if rv, ok := obj["result"]; ok {
		if cd, ok := c.resolveObject(rv); ok {
			d.resultSchema, d.hasResult = schemaOf(cd), true
		}
	}
	m.errors = c.declaredErrors(obj)
	return d
}

// declareParams reads the params of the method at ptr and checks that
// their names are unique and that required ones come first. complete is
// false when a param could not be read (a dangling $ref, no name, a
// duplicate name): its params schema is then not built.
func (c *checker) declareParams(ptr string, rawParams []any) (params []param, complete bool) {
	complete = true
	seen := map[string]int{}
	optional := ""
	for j, pv := range rawParams {
		pptr := ptr + "/params/" + strconv.Itoa(j)
		cd, ok := c.resolveObject(pv)
		if !ok {
			complete = false
			continue
		}
		p := param{schema: schemaOf(cd)}
		p.name, _ = cd["name"].(string)
		p.required, _ = cd["required"].(bool)
		if p.name == "" {
			complete = false
			continue
		}
		if k, dup := seen[p.name]; dup {
			c.add(pptr+"/name", "uniqueParamName",
				fmt.Sprintf("param %q is declared twice (first at %s/params/%d)", p.name, ptr, k),
				"param names are the keys of by-name params: rename or remove one of them")
			complete = false
			continue
		}
		seen[p.name] = j
		if p.required && optional != "" {
			c.add(pptr+"/required", "paramOrder",
				fmt.Sprintf("required param %q follows optional param %q", p.name, optional),
				"move required params before optional ones: positional callers cannot skip an optional param")
		}
		if !p.required && optional == "" {
			optional = p.name
		}
		params = append(params, p)
	}
	return params, complete
}

// schemaOf returns the schema of content descriptor cd; none accepts
// anything.
func schemaOf(cd map[string]any) any {
	if s, ok := cd["schema"]; ok && s != nil {
		return s
	}
	return map[string]any{}
}

// paramsShape tells how the method obj takes params, as the server sees
// it: its paramStructure and its "x-raw-params" and "x-variadic"
// extensions.
func paramsShape(name string, obj map[string]any, m *method, nParams int) validate.Params {
	structure, _ := obj["paramStructure"].(string)
	shape := validate.Params{Method: name, Names: m.names,
		ByName: structure == "by-name", ByPosition: structure == "by-position"}
	rawAny, _ := obj["x-raw-params"].(bool)
	switch {
	case rawAny:
		shape.Shape = validate.AnyParams
	case nParams == 0:
		shape.Shape = validate.NoParams
	case m.variadic:
		shape.Shape = validate.VariadicParams
	}
	return shape
}

// declaredErrors returns the error codes the method obj declares.
func (c *checker) declaredErrors(obj map[string]any) map[int64]bool {
	codes := map[int64]bool{}
	errs, _ := obj["errors"].([]any)
	for _, ev := range errs {
		if eo, ok := c.resolveObject(ev); ok {
			if code, ok := eo["code"].(json.Number); ok {
				if n, err := code.Int64(); err == nil {
					codes[n] = true
				}
			}
		}
	}
	return codes
}

// finishMethod compiles the method's schemas and checks its examples.
func (c *checker) finishMethod(d *methodDecl) *method {
	m := d.m
	if d.paramsSchema != nil {
		m.params = c.compileParams(d.ptr, d.params, d.paramsSchema)
	}
	if d.hasResult {
		v, err := c.compile(d.resultSchema)
		if err != nil && !c.reported(d.ptr+"/result") {
			c.reportCompile(d.ptr+"/result/schema", "the result schema", err)
		}
		m.result = v
	}
	c.checkExamples(d)
	return m
}

// paramsSchema builds the schema that params must satisfy, with the
// server's own builder ([validate.ParamsSchema]).
func paramsSchema(params []param, variadic bool) map[string]any {
	shape := validate.Named
	if variadic {
		shape = validate.VariadicParams
	}
	vps := make([]validate.Param, len(params))
	for i, p := range params {
		vps[i] = validate.Param{Name: p.name, Required: p.required, Schema: p.schema}
	}
	return validate.ParamsSchema(shape, vps)
}

// causedByRef reports whether the compile error err comes from a
// reference, when a reference that does not resolve has been reported
// already: the compile error then says the same thing again.
func (c *checker) causedByRef(err error) bool {
	if !slices.ContainsFunc(c.findings, func(f Finding) bool { return f.Keyword == "$ref" }) {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "reference") || strings.Contains(msg, "$ref")
}

// compileParams compiles the params schema of the method at ptr; when it
// does not compile, it finds the param at fault.
func (c *checker) compileParams(ptr string, params []param, schema any) *validate.Validator {
	v, err := c.compile(schema)
	if err == nil {
		return v
	}
	found := false
	for j, p := range params {
		if _, perr := c.compile(p.schema); perr != nil {
			found = true
			if c.reported(fmt.Sprintf("%s/params/%d", ptr, j)) {
				continue // a dangling $ref or a bad keyword, reported already
			}
			c.reportCompile(fmt.Sprintf("%s/params/%d/schema", ptr, j), fmt.Sprintf("the schema of param %q", p.name), perr)
		}
	}
	if !found {
		c.reportCompile(ptr+"/params", "the params schema", err)
	}
	return nil
}

// checkExamples checks that the method's example pairings match its
// schemas. A mismatch is a warning: the document is valid, its example
// probably wrong.
func (c *checker) checkExamples(d *methodDecl) {
	m, ptr := d.m, d.ptr
	exs, _ := d.obj["examples"].([]any)
	for e, ev := range exs {
		eptr := fmt.Sprintf("%s/examples/%d", ptr, e)
		pairing, ok := c.resolveObject(ev)
		if !ok {
			continue
		}
		label, _ := pairing["name"].(string)
		if label == "" {
			label = strconv.Itoa(e)
		}
		if m.params != nil {
			c.checkExampleParams(d, eptr, label, pairing)
		} else if m.shape.Shape == validate.NoParams {
			if ps, _ := pairing["params"].([]any); len(ps) > 0 {
				c.warn(eptr+"/params", "maxItems", fmt.Sprintf("example %q: method %s takes no params, the example has %d", label, m.name, len(ps)), "")
			}
		}
		if rv, ok := pairing["result"]; ok && m.result != nil {
			if ex, ok := c.resolveObject(rv); ok {
				if val, ok := ex["value"]; ok {
					c.validateExample(m.result, val, eptr+"/result/value", label, nil)
				}
			}
		}
	}
}

// checkExampleParams validates the params of one example pairing. As the
// OpenRPC specification orders them, the example's params pair with the
// method's params by position (an Example Object's name is the example's
// own name, not the param's); they are validated as the by-name request
// carrying each value under its param's name would be.
func (c *checker) checkExampleParams(d *methodDecl, eptr, label string, pairing map[string]any) {
	m := d.m
	ps, _ := pairing["params"].([]any)
	var values []any
	for _, pv := range ps {
		ex, ok := c.resolveObject(pv)
		if !ok {
			return
		}
		if _, ok := ex["value"]; !ok {
			return // an externalValue, or no value: nothing to check
		}
		values = append(values, ex["value"])
	}
	if m.variadic {
		if values == nil {
			values = []any{}
		}
		c.validateExample(m.params, values, eptr+"/params", label, func(p string) string {
			tok, rest := splitPointer(p)
			return "/" + tok + "/value" + rest
		})
		return
	}
	if len(values) > len(m.names) {
		c.warn(fmt.Sprintf("%s/params/%d", eptr, len(m.names)), "maxItems",
			fmt.Sprintf("example %q: method %s takes %d params, the example has %d", label, m.name, len(m.names), len(values)),
			"example params pair with the method's params by position")
		values = values[:len(m.names)]
	}
	named := map[string]any{}
	index := map[string]int{} // param name -> position of its example
	for k, val := range values {
		named[m.names[k]] = val
		index[m.names[k]] = k
	}
	c.validateExample(m.params, named, eptr+"/params", label, func(p string) string {
		tok, rest := splitPointer(p)
		if k, ok := index[unescapeToken(tok)]; ok {
			return "/" + strconv.Itoa(k) + "/value" + rest
		}
		return ""
	})
}

// validateExample validates an example value against v and records its
// violations, as warnings, at base plus the
// violation's pointer, mapped through mapPtr if given. An example whose
// check could take more than validate.MaxSteps is reported as too complex
// to check (validate.ErrTooComplex).
func (c *checker) validateExample(v *validate.Validator, val any, base, label string, mapPtr func(string) string) {
	err := v.Validate(val)
	if errors.Is(err, validate.ErrTooComplex) {
		c.warn(base, "complexity", fmt.Sprintf("example %q: %v", label, strings.TrimPrefix(err.Error(), "validate: ")),
			"the document is valid; to have the example checked, flatten the chain of alternatives")
		return
	}
	var verr *validate.Error
	if !errors.As(err, &verr) {
		return
	}
	for _, vi := range verr.Violations {
		p := vi.Pointer
		msg := vi.Message
		if mapPtr != nil {
			if vi.Keyword == "required" && strings.Count(p, "/") == 1 {
				msg = fmt.Sprintf("required param %q is missing", unescapeToken(p[1:]))
				p = ""
			} else {
				p = mapPtr(p)
			}
		}
		c.warn(base+p, vi.Keyword, fmt.Sprintf("example %q: %s", label, msg), "")
	}
}

// splitPointer splits a JSON pointer into its first token, as written,
// and the rest.
func splitPointer(p string) (tok, rest string) { return jsonptr.Split(p) }

// unescapeToken returns the name an RFC 6901 reference token stands for,
// or the token itself when its escapes are invalid.
func unescapeToken(s string) string {
	if u, err := jsonptr.Unescape(s); err == nil {
		return u
	}
	return s
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// kindOf names the JSON type of v.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// knownFormats are the formats of JSON Schema (draft 2020-12 and
// earlier) and of OpenAPI, which OpenRPC documents often borrow.
var knownFormats = []string{
	"date-time", "date", "time", "duration", "email", "idn-email", "hostname", "idn-hostname",
	"ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid", "uri-template",
	"json-pointer", "relative-json-pointer", "regex",
	"int32", "int64", "float", "double", "byte", "binary", "password",
}

// checkFormat notes a format that no validator knows: it is then an
// annotation that nothing checks. reportFormats warns once per format.
func (c *checker) checkFormat(format, ptr string) {
	if slices.Contains(knownFormats, format) {
		return
	}
	if c.formats == nil {
		c.formats = map[string]*formatUse{}
	}
	if u := c.formats[format]; u != nil {
		u.n++
		return
	}
	c.formats[format] = &formatUse{ptr: ptr, n: 1}
}

// A formatUse is where an unknown format is first used, and how often.
type formatUse struct {
	ptr string
	n   int
}

// reportFormats warns about each unknown format, once, at its first use.
func (c *checker) reportFormats() {
	for _, format := range slices.Sorted(maps.Keys(c.formats)) {
		u := c.formats[format]
		msg := fmt.Sprintf("unknown format %q: validators ignore it", format)
		if u.n > 1 {
			msg = fmt.Sprintf("unknown format %q (here and in %d more %s): validators ignore it", format, u.n-1, plural(u.n-1, "place", "places"))
		}
		c.warn(u.ptr, "format", msg, "known formats are those of JSON Schema (date-time, uri, uuid, ...) and OpenAPI (int64, byte, ...)")
	}
}
