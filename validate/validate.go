package validate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/schemarpc/schemarpc/internal/ecmaregex"
	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// rootURL is the base URL under which a compiled schema lives. It only
// matters to references, which may not leave the schema.
const rootURL = "schemarpc:///schema.json"

// An Option configures [Compile].
type Option func(*config)

type config struct {
	draft7     bool
	components []byte
	// resources are extra in-memory documents, by URL, that references may
	// reach. They are used by the meta-schemas.
	resources map[string]string
}

// WithDraft7 compiles the schema with JSON Schema draft-07 semantics
// instead of draft 2020-12, ignoring any "$schema" it declares.
func WithDraft7() Option {
	return func(c *config) { c.draft7 = true }
}

// WithComponents makes the component schemas in components, the JSON of an
// object {"Name": schema, ...}, reachable from the compiled schema through
// references of the form "#/components/schemas/Name", as in an OpenRPC
// document. The schema passed to [Compile] must then be a JSON object
// without a "components" member of its own.
func WithComponents(components []byte) Option {
	return func(c *config) { c.components = components }
}

// WithResource makes doc, the JSON of another document, reachable from the
// compiled schema through references relative to the schema, as an OpenRPC
// document's references to other files are: with name "schemas/pet.json",
// the reference "schemas/pet.json#/Pet" resolves to the member "Pet" of
// doc, and references inside doc resolve relative to "schemas/". name is
// a relative slash-separated path without ".." segments that leave the
// schema's directory. WithResource may be given several times; nothing is
// read from files or the network, so a reference to a document that was
// not given is still a compile error.
func WithResource(name string, doc []byte) Option {
	return func(c *config) {
		if c.resources == nil {
			c.resources = make(map[string]string)
		}
		c.resources[resourceURL(name)] = string(doc)
	}
}

// resourceName is the inverse of resourceURL, for messages.
func resourceName(url string) string {
	return strings.TrimPrefix(url, "schemarpc:///")
}

// resourceURL resolves name against rootURL.
func resourceURL(name string) string {
	base, _ := url.Parse(rootURL)
	ref, err := url.Parse(name)
	if err != nil {
		return rootURL + "/" + name // still unique; unreachable by references
	}
	return base.ResolveReference(ref).String()
}

// A Validator checks JSON values against one compiled JSON Schema.
//
// A Validator is immutable and safe for concurrent use by multiple
// goroutines: compile once, validate many times.
type Validator struct {
	schema *jsonschema.Schema
	fast   *fastNode // nil when the schema is outside the fast subset
	cost   *costModel
}

// Compile compiles a JSON Schema document. Draft 2020-12 applies unless the
// schema declares another known draft in "$schema" or [WithDraft7] is
// given. Format is asserted (email, uuid, date-time, uri and the other
// formats the draft defines); contentEncoding and contentMediaType are
// annotations only. Patterns are ECMA-262 regular expressions. References
// must resolve inside the schema, or inside the components given by
// [WithComponents], or inside the documents given by [WithResource]:
// nothing is loaded from files or the network.
//
// A schema that does not compile yields an error; when the fault lies at a
// place in the schema (a keyword of the wrong type, an invalid pattern, a
// reference that names nothing) it is a [*SchemaError] naming that place.
func Compile(schema []byte, opts ...Option) (*Validator, error) {
	var cfg config
	for _, opt := range opts {
		opt(&cfg)
	}
	return compile(schema, cfg)
}

func compile(schema []byte, cfg config) (*Validator, error) {
	doc, err := decode(schema)
	if err != nil {
		return nil, fmt.Errorf("validate: schema: %w", err)
	}
	obj, isObj := doc.(map[string]any)
	if cfg.components != nil {
		comps, err := decode(cfg.components)
		if err != nil {
			return nil, fmt.Errorf("validate: components: %w", err)
		}
		if _, ok := comps.(map[string]any); !ok {
			return nil, errors.New("validate: components: not a JSON object")
		}
		if isObj {
			if _, ok := obj["components"]; ok {
				return nil, errors.New(`validate: schema has its own "components" member; cannot add WithComponents`)
			}
			// Build one resource so that "#/components/schemas/Name" is a
			// plain JSON pointer into it. Validators ignore the unknown
			// "components" keyword.
			obj["components"] = map[string]any{"schemas": comps}
		}
	}
	if cfg.draft7 && isObj {
		delete(obj, "$schema")
	}
	fast := buildFast(doc, cfg.draft7)
	c, err := newCompiler(doc, cfg)
	if err != nil {
		return nil, err
	}
	s, err := c.Compile(rootURL)
	if err != nil {
		return nil, compileError(err, doc)
	}
	return newValidator(s, fast, newCostModel(s)), nil
}

func newValidator(s *jsonschema.Schema, fast *fastNode, cost *costModel) *Validator {
	if !costFree(cost) {
		fast = nil // the general validator may refuse values as too complex: it decides
	}
	return &Validator{schema: s, fast: fast, cost: cost}
}

// Validate checks instance, a value as decoded by encoding/json into an any
// (with json.Decoder.UseNumber, so numbers are json.Number; float64 and the
// integer types are accepted too). It returns nil if instance is valid,
// an [*Error] listing the violations if it is not, and a plain error if
// instance holds a Go value that has no JSON meaning.
//
// A value whose check could take more than the bound of [MaxSteps] (see
// [ErrTooComplex]) is not checked: Validate returns an error that
// matches ErrTooComplex with [errors.Is].
func (v *Validator) Validate(instance any) error {
	if err := v.cost.check(instance, false); err != nil {
		return err
	}
	return v.validate(instance)
}

func (v *Validator) validate(instance any) (err error) {
	defer func() {
		// The general validator compares numbers as math/big rationals and
		// panics on one math/big does not parse (an exponent beyond a
		// million, as in 1e1000001; an infinite Go float).
		if p := recover(); p != nil {
			err = uncheckable(instance, p)
		}
	}()
	err = v.schema.Validate(instance)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("validate: %w", err)
	}
	if bad := findKind[*kind.InvalidJsonValue](ve); bad != nil {
		return fmt.Errorf("validate: value at %q is a Go %T, which has no JSON meaning", pointer(bad.InstanceLocation), bad.ErrorKind.(*kind.InvalidJsonValue).Value)
	}
	return newError(ve)
}

// findKind returns the first error of kind K in the tree of ve, or nil.
func findKind[K jsonschema.ErrorKind](ve *jsonschema.ValidationError) *jsonschema.ValidationError {
	if _, ok := ve.ErrorKind.(K); ok {
		return ve
	}
	for _, c := range ve.Causes {
		if f := findKind[K](c); f != nil {
			return f
		}
	}
	return nil
}

// ValidateJSON decodes data (numbers as json.Number) and validates the
// result like [Validator.Validate]. Data that is not exactly one JSON value
// yields a plain error, not an [*Error], so callers can tell malformed JSON
// from invalid content; data nested deeper than [MaxDepth] yields an error
// that matches [ErrTooComplex].
func (v *Validator) ValidateJSON(data []byte) error {
	switch jsonscan.Check(data, MaxDepth) {
	case nil:
	case jsonscan.ErrDepth:
		return errTooDeep
	default:
		return v.validateDecoded(data, false) // reports the syntax error
	}
	if v.fast != nil && v.fast.valid(jsonscan.TrimSpace(data)) {
		return nil
	}
	return v.validateDecoded(data, true)
}

// ValidateCheckedJSON is [Validator.ValidateJSON] for data already known
// to be exactly one valid JSON value, such as params cut from a payload
// that a schemarpc.Decoder accepted: it skips the syntax check. On data
// that is not valid JSON its result is unspecified.
func (v *Validator) ValidateCheckedJSON(data []byte) error {
	if v.fast != nil && v.fast.valid(jsonscan.TrimSpace(data)) {
		return nil
	}
	return v.validateDecoded(data, false)
}

func (v *Validator) validateDecoded(data []byte, depthChecked bool) error {
	instance, err := decode(data)
	if err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	if err := v.cost.check(instance, depthChecked); err != nil {
		return err
	}
	return v.validate(instance)
}

// newCompiler returns a compiler with doc as the root resource and the
// resources of cfg: format assertion on, content assertion off, ECMA-262
// patterns, no loading from files or the network.
func newCompiler(doc any, cfg config) (*jsonschema.Compiler, error) {
	c := jsonschema.NewCompiler()
	if cfg.draft7 {
		c.DefaultDraft(jsonschema.Draft7)
	} else {
		c.DefaultDraft(jsonschema.Draft2020)
	}
	c.AssertFormat()
	c.UseLoader(noLoader{})
	c.UseRegexpEngine(compileRegexp)
	c.RegisterFormat(regexFormat)
	if err := c.AddResource(rootURL, doc); err != nil {
		return nil, fmt.Errorf("validate: schema: %w", err)
	}
	for url, res := range cfg.resources {
		rdoc, err := decode([]byte(res))
		if err != nil {
			return nil, fmt.Errorf("validate: resource %s: %w", resourceName(url), err)
		}
		if err := c.AddResource(url, rdoc); err != nil {
			return nil, fmt.Errorf("validate: resource %s: %w", resourceName(url), err)
		}
	}
	return c, nil
}

// noLoader refuses every URL: references reach only the resources given.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("reference to external schema %s is not supported", url)
}

// compileRegexp is the regexp engine of every compiler: ECMA-262 patterns.
func compileRegexp(s string) (jsonschema.Regexp, error) {
	re, err := ecmaregex.Compile(s)
	if err != nil {
		return nil, err
	}
	return re, nil
}

// regexFormat asserts format "regex" with the same ECMA-262 engine.
var regexFormat = &jsonschema.Format{
	Name: "regex",
	Validate: func(v any) error {
		s, ok := v.(string)
		if !ok {
			return nil
		}
		_, err := ecmaregex.Compile(s)
		return err
	},
}

// decode parses exactly one JSON value, keeping numbers as json.Number.
func decode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: data after the top-level value")
	}
	return v, nil
}

// formatChecks caches formatCheck.
var formatChecks sync.Map // name → func(any) bool (nil when unknown)

// formatCheck returns the checker that the compiled schemas use for format
// name, as a predicate, or nil when the format is unknown (and so not
// asserted). The fast path's own format checkers are tested against it.
func formatCheck(name string) func(any) bool {
	if f, ok := formatChecks.Load(name); ok {
		return f.(func(any) bool)
	}
	var check func(any) bool
	c, err := newCompiler(map[string]any{"format": name}, config{})
	if err == nil {
		if s, err := c.Compile(rootURL); err == nil && s.Format != nil {
			validate := s.Format.Validate
			check = func(v any) bool { return validate(v) == nil }
		}
	}
	formatChecks.Store(name, check)
	return check
}
