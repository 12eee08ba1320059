package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/fastdecode"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
)

// Method is a method ready to be registered with [Server.Add]. Build one
// with [Func], [FuncNoParams], [FuncNoResult], [Variadic] or [Raw]. A Method
// is an immutable description: registering it computes what a server needs
// (schemas, validator, OpenRPC object) for that server alone, so one Method
// may be registered on any number of servers, concurrently.
type Method struct {
	name string
	err  error // deferred construction error, reported by Add

	kind       paramKind
	paramsType reflect.Type // struct params (kindStruct), element type (kindVariadic)
	resultType reflect.Type // nil when the method has no result
	invoke     func(ctx context.Context, codec schemarpc.Codec, params json.RawMessage) (any, error)
	// bindChecked, when set, makes a checkedInvoke from the params
	// validator's schema (Func, FuncNoResult and Variadic set it).
	bindChecked func(fastdecode.Schema) checkedInvoke

	summary     string
	description string
	deprecated  bool
	tags        []string
	resultName  string
	errors      []*schemarpc.Error
	examples    []example
	prepare     func(ctx context.Context, result any) (any, error)
	variadicArg string
	sub         *subDecl // set by Subscription (subscription.go)
	subBuffer   int      // set by SubscriptionBuffer
	spec        *Spec    // set by Described: explicit schemas
}

type paramKind int

const (
	kindStruct   paramKind = iota // a params struct: by-position or by-name
	kindNone                      // no params
	kindVariadic                  // any number of positional params of one type
	kindRaw                       // raw params, no schema
)

type example struct {
	name           string
	params, result any
}

// Name returns the method's name.
func (m *Method) Name() string { return m.name }

// MethodOption configures a [Method].
type MethodOption func(*Method)

// Summary sets the method's OpenRPC summary.
func Summary(s string) MethodOption { return func(m *Method) { m.summary = s } }

// Description sets the method's OpenRPC description.
func Description(s string) MethodOption { return func(m *Method) { m.description = s } }

// Deprecated marks the method as deprecated in the OpenRPC document.
func Deprecated() MethodOption { return func(m *Method) { m.deprecated = true } }

// Tags sets the method's OpenRPC tags.
func Tags(names ...string) MethodOption {
	return func(m *Method) { m.tags = append(m.tags, names...) }
}

// ResultName names the result content descriptor; the default is
// "result".
func ResultName(name string) MethodOption { return func(m *Method) { m.resultName = name } }

// Errors declares the application errors the method may return. They are
// listed in the method's OpenRPC "errors"; an error's Data, if set, is shown
// as an example of the error data.
func Errors(errs ...*schemarpc.Error) MethodOption {
	return func(m *Method) { m.errors = append(m.errors, errs...) }
}

// Example adds an example pairing to the method's OpenRPC document. params
// is a value that encodes as a JSON object (a params struct or a map), or
// nil for a method without params; for a [Variadic] method it is a slice.
// result is the expected result. Tests of the demo service replay every
// example against a fresh server, so keep them true.
func Example(name string, params, result any) MethodOption {
	return func(m *Method) { m.examples = append(m.examples, example{name: name, params: params, result: result}) }
}

// PrepareResult post-processes the method's result before it is encoded
// (aiohttp-rpc's prepare_result).
func PrepareResult(f func(ctx context.Context, result any) (any, error)) MethodOption {
	return func(m *Method) { m.prepare = f }
}

func newMethod(name string, kind paramKind, opts []MethodOption) *Method {
	m := &Method{name: name, kind: kind, resultName: "result"}
	for _, o := range opts {
		if o != nil {
			o(m)
		}
	}
	return m
}

// Func makes a method from a function taking a params struct P and
// returning a result R.
//
// P must be a struct (or a pointer to one). Its exported JSON fields are the
// method's params, in field order: that order is the positional order, so
// add new params last and make them optional. A field is required unless it
// is a pointer or its json tag has omitempty or omitzero. Constraints come
// from `jsonschema:"..."` tags (github.com/invopop/jsonschema), for example
// `jsonschema:"minLength=3,format=email"`.
//
// Params may be sent by name (an object) or by position (an array mapped
// onto the fields in order), except when an optional field comes before a
// required one: then the method takes params by name only (see "Params by
// name only" in the package documentation). They are validated against P's
// schema before fn runs; fn only ever sees valid params. A nil fn makes
// [Server.Add] fail, as it does for every constructor.
func Func[P, R any](name string, fn func(ctx context.Context, params P) (R, error), opts ...MethodOption) *Method {
	m := newMethod(name, kindStruct, opts)
	m.paramsType = reflect.TypeFor[P]()
	m.resultType = reflect.TypeFor[R]()
	if t := m.paramsType; t.Kind() != reflect.Struct && (t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct) {
		m.err = fmt.Errorf("server: method %q: params type %s is not a struct", name, t)
	}
	if fn == nil {
		m.err = nilFunc(name, "Func")
	}
	setTyped(m, fn)
	return m
}

// setTyped makes m decode its params into a P and run fn: m.invoke decodes
// them (validated before), m.bindChecked validates them in the same pass
// where the server allows it.
func setTyped[P, R any](m *Method, fn func(ctx context.Context, params P) (R, error)) {
	dec := fastdecode.For[P]()
	m.invoke = func(ctx context.Context, codec schemarpc.Codec, params json.RawMessage) (any, error) {
		var p P
		if err := decodeParams(dec, codec, params, &p); err != nil {
			return nil, invalidParams(err)
		}
		return fn(ctx, p)
	}
	if dec != nil {
		m.bindChecked = func(s fastdecode.Schema) checkedInvoke {
			cd := dec.Checked(s)
			return func(ctx context.Context, params json.RawMessage) (any, error) {
				var p P
				if !cd.Decode(params, &p) {
					return nil, errUndecided
				}
				return fn(ctx, p)
			}
		}
	}
}

// checkedInvoke runs a method on params that it validates as it decodes
// them (see fastdecode.Checked), under the default codec. It returns
// errUndecided, without running the method, when it cannot tell that the
// params are valid: the validator and the method's invoke then decide.
type checkedInvoke func(ctx context.Context, params json.RawMessage) (any, error)

// errUndecided is what a checkedInvoke returns when it leaves the params
// to the validator.
var errUndecided = errors.New("params not decided while decoding")

// DecodeParams decodes params into a T as [Func] and [Variadic] do under
// the default codec: the value and the error are exactly json.Unmarshal's,
// in one pass whenever the fast decoder can (see [WithCodec]). It suits
// [Raw] and [Described] handlers; the code `schemarpc gen` writes uses it.
func DecodeParams[T any](params json.RawMessage) (T, error) {
	var v T
	err := fastdecode.Of[T]().Unmarshal(params, &v, json.Unmarshal)
	return v, err
}

// decodeParams decodes params into *p, which holds the zero value, with
// the codec. When the codec is encoding/json, the fast decoder goes first:
// it gives the same values several times faster, and leaves to
// encoding/json whatever it does not handle (the error cases among them).
func decodeParams[P any](dec *fastdecode.Decoder[P], codec schemarpc.Codec, params json.RawMessage, p *P) error {
	if _, std := codec.(schemarpc.JSONCodec); std {
		return dec.Unmarshal(params, p, codec.Unmarshal)
	}
	return codec.Unmarshal(params, p)
}

// FuncNoParams makes a method that takes no params from a function
// returning R. Absent params, [] and {} are accepted; anything else is
// -32602.
func FuncNoParams[R any](name string, fn func(ctx context.Context) (R, error), opts ...MethodOption) *Method {
	m := newMethod(name, kindNone, opts)
	m.resultType = reflect.TypeFor[R]()
	if fn == nil {
		m.err = nilFunc(name, "FuncNoParams")
	}
	m.invoke = func(ctx context.Context, _ schemarpc.Codec, _ json.RawMessage) (any, error) {
		return fn(ctx)
	}
	return m
}

// FuncNoResult makes a method from a function taking a params struct P and
// returning only an error; a successful call answers with a null result.
// It suits methods mostly called as notifications.
func FuncNoResult[P any](name string, fn func(ctx context.Context, params P) error, opts ...MethodOption) *Method {
	m := Func(name, func(ctx context.Context, p P) (struct{}, error) {
		return struct{}{}, fn(ctx, p)
	}, opts...)
	m.resultType = nil
	if fn == nil {
		m.err = nilFunc(name, "FuncNoResult")
	}
	inner := m.invoke
	m.invoke = func(ctx context.Context, codec schemarpc.Codec, params json.RawMessage) (any, error) {
		if _, err := inner(ctx, codec, params); err != nil {
			return nil, err
		}
		return nil, nil
	}
	if bind := m.bindChecked; bind != nil {
		m.bindChecked = func(s fastdecode.Schema) checkedInvoke {
			inner := bind(s)
			return func(ctx context.Context, params json.RawMessage) (any, error) {
				_, err := inner(ctx, params)
				return nil, err
			}
		}
	}
	return m
}

// Variadic makes a method taking any number of positional params of type T
// (for example sum(1, 2, 4)). Params must be absent or an array; each
// element is validated against T's schema. In OpenRPC the method has
// paramStructure "by-position" and a single optional param named argName
// whose schema is T's; the extension "x-variadic" names that param, telling
// readers it may repeat.
func Variadic[T, R any](name, argName string, fn func(ctx context.Context, args []T) (R, error), opts ...MethodOption) *Method {
	m := newMethod(name, kindVariadic, opts)
	m.paramsType = reflect.TypeFor[T]()
	m.resultType = reflect.TypeFor[R]()
	m.variadicArg = argName
	if fn == nil {
		m.err = nilFunc(name, "Variadic")
	}
	dec := fastdecode.For[[]T]()
	m.invoke = func(ctx context.Context, codec schemarpc.Codec, params json.RawMessage) (any, error) {
		var args []T
		if params != nil {
			if err := decodeParams(dec, codec, params, &args); err != nil {
				return nil, invalidParams(err)
			}
		}
		if args == nil {
			args = []T{}
		}
		return fn(ctx, args)
	}
	if dec != nil {
		m.bindChecked = func(s fastdecode.Schema) checkedInvoke {
			cd := dec.Checked(s)
			return func(ctx context.Context, params json.RawMessage) (any, error) {
				var args []T
				if params == nil || !cd.Decode(params, &args) {
					return nil, errUndecided
				}
				if args == nil {
					args = []T{}
				}
				return fn(ctx, args)
			}
		}
	}
	return m
}

// Raw makes a method from an untyped function. It receives the params as
// sent (nil when absent, else a JSON array or object), with no schema and no
// validation, and may return any value the codec can encode (a
// json.RawMessage is sent as is).
func Raw(name string, fn func(ctx context.Context, params json.RawMessage) (any, error), opts ...MethodOption) *Method {
	m := newMethod(name, kindRaw, opts)
	m.resultType = reflect.TypeFor[any]()
	if fn == nil {
		m.err = nilFunc(name, "Raw")
	}
	m.invoke = func(ctx context.Context, _ schemarpc.Codec, params json.RawMessage) (any, error) {
		return fn(ctx, params)
	}
	return m
}

// nilFunc is the error [Server.Add] reports for a method built from a nil
// function, which would fail every call.
func nilFunc(name, constructor string) error {
	return fmt.Errorf("server: method %q: %s was given a nil function", name, constructor)
}

// requiredFirst returns the params of a struct in an order that OpenRPC
// allows: required params before optional ones. When the struct's own
// order already is one, cds is returned as is and byName is false; else
// the required params are moved first (keeping their relative order) and
// byName is true: positional callers would have to fill the optional
// params in between, so the method takes params by name only.
func requiredFirst(cds []*schema.ContentDescriptor) (ordered []*schema.ContentDescriptor, byName bool) {
	optional := false
	for _, cd := range cds {
		if cd.Required && optional {
			byName = true
			break
		}
		optional = optional || !cd.Required
	}
	if !byName {
		return cds, false
	}
	ordered = make([]*schema.ContentDescriptor, 0, len(cds))
	for _, cd := range cds {
		if cd.Required {
			ordered = append(ordered, cd)
		}
	}
	for _, cd := range cds {
		if !cd.Required {
			ordered = append(ordered, cd)
		}
	}
	return ordered, true
}

// descriptorParams turns content descriptors into what
// validate.ParamsSchema needs.
func descriptorParams(cds []*schema.ContentDescriptor) []validate.Param {
	ps := make([]validate.Param, len(cds))
	for i, cd := range cds {
		ps[i] = validate.Param{Name: cd.Name, Required: cd.Required}
		if cd.Schema != nil {
			ps[i].Schema = cd.Schema
		}
	}
	return ps
}

func invalidParams(err error) *schemarpc.Error {
	var e *schemarpc.Error
	if errors.As(err, &e) {
		return e
	}
	return schemarpc.ErrInvalidParams.WithData([]validate.Violation{decodeViolation(err)})
}

// decodeViolation describes a params decoding failure (seen when validation
// is off or the schema is looser than the Go type) without Go type names.
func decodeViolation(err error) validate.Violation {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		v := validate.Violation{Keyword: "type", Message: "expected " + jsonType(te.Type) + ", got " + te.Value}
		if lo, hi, ok := intRange(te.Type); ok && isIntegerLiteral(strings.TrimPrefix(te.Value, "number ")) {
			v.Keyword = "maximum"
			if strings.HasPrefix(te.Value, "number -") {
				v.Keyword = "minimum"
			}
			v.Message = te.Value + " is out of range: expected an integer from " + lo + " to " + hi
		}
		if k := te.Type.Kind(); (k == reflect.Float64 || k == reflect.Float32) && strings.HasPrefix(te.Value, "number ") {
			// Only a number too large for the float overflows it.
			v.Keyword = "maximum"
			if strings.HasPrefix(te.Value, "number -") {
				v.Keyword = "minimum"
			}
			limit := "1.8e308"
			if k == reflect.Float32 {
				limit = "3.4e38"
			}
			v.Message = te.Value + " is out of range: expected a number of magnitude below " + limit
		}
		if te.Field != "" {
			v.Pointer = "/" + strings.ReplaceAll(te.Field, ".", "/")
		}
		return v
	}
	return validate.Violation{Keyword: "type", Message: "params do not match the method's schema"}
}

// isIntegerLiteral reports whether s is a JSON integer without fraction or
// exponent.
func isIntegerLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// intRange returns the bounds of an integer type t (or pointer to one).
func intRange(t reflect.Type) (lo, hi string, ok bool) {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "", "", false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := 64 - t.Bits()
		return strconv.FormatInt(math.MinInt64>>n, 10), strconv.FormatInt(math.MaxInt64>>n, 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "0", strconv.FormatUint(math.MaxUint64>>(64-t.Bits()), 10), true
	}
	return "", "", false
}

// jsonType names the JSON type that decodes into t.
func jsonType(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	}
	return "another type"
}
