package schema

import (
	"encoding"
	"encoding/json"
	"math"
	"math/big"
	"net"
	"net/netip"
	"net/url"
	"reflect"
	"strconv"
	"time"

	"github.com/invopop/jsonschema"
)

// This file gives types whose JSON form is not their Go shape the schema
// of what encoding/json actually writes and reads.

var (
	jsonMarshaler   = reflect.TypeFor[json.Marshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textMarshaler   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()

	// The methods by which a type tells invopop/jsonschema its own schema.
	customSchema = reflect.TypeFor[interface{ JSONSchema() *jsonschema.Schema }]()
	aliasSchema  = reflect.TypeFor[interface{ JSONSchemaAlias() any }]()
	extendSchema = reflect.TypeFor[interface{ JSONSchemaExtend(*jsonschema.Schema) }]()
	protoEnum    = reflect.TypeFor[interface{ EnumDescriptor() ([]byte, []int) }]()
)

// Patterns of the netip text forms that no standard format covers. They
// use only syntax that RE2 and ECMA-262 read alike.
const (
	ipv4Pattern = `[0-9]{1,3}(?:\.[0-9]{1,3}){3}`
	ipv6Pattern = `[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*`
	// AddrPort: "1.2.3.4:80" or "[::1]:80" (an IPv6 zone is allowed).
	addrPortPattern = `^(?:` + ipv4Pattern + `|\[` + ipv6Pattern + `(?:%[^\]]+)?\]):[0-9]{1,5}$`
	// Prefix: "10.0.0.0/8" or "2001:db8::/32" (no zone).
	prefixPattern = `^(?:` + ipv4Pattern + `|` + ipv6Pattern + `)/[0-9]{1,3}$`
	// big.Float text: what Float.Text('g', -1) writes, and "Inf" spelt
	// either way.
	bigFloatPattern = `^[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[Ii]nf)$`
)

// wireSchemas are the schemas of standard types whose JSON form is not
// their Go shape. Each call builds a fresh schema, as the reflector
// annotates the schemas it returns.
var wireSchemas = map[reflect.Type]func() *jsonschema.Schema{
	// A JSON number of any size and precision, written as it was read.
	reflect.TypeFor[json.Number](): func() *jsonschema.Schema { return &jsonschema.Schema{Type: "number"} },
	// *big.Int writes a bare JSON integer of any size (no quotes, no
	// exponent), and reads only that.
	reflect.TypeFor[big.Int](): func() *jsonschema.Schema { return &jsonschema.Schema{Type: "integer"} },
	// *big.Float is a TextMarshaler: a string such as "1.5", "1e+100" or
	// "+Inf"; a JSON number is refused.
	reflect.TypeFor[big.Float](): func() *jsonschema.Schema {
		return &jsonschema.Schema{Type: "string", Pattern: bigFloatPattern}
	},
	// *big.Rat is a TextMarshaler: "1/3", "-5" (SetString also reads "1.25").
	reflect.TypeFor[big.Rat](): func() *jsonschema.Schema {
		return &jsonschema.Schema{Type: "string", Pattern: `^[+-]?[0-9]+(?:(?:/[0-9]+)|(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)$`}
	},
	reflect.TypeFor[netip.Addr](): ipSchema,
	reflect.TypeFor[net.IP]():     ipSchema,
	reflect.TypeFor[netip.AddrPort](): func() *jsonschema.Schema {
		return &jsonschema.Schema{Type: "string", Pattern: addrPortPattern}
	},
	reflect.TypeFor[netip.Prefix](): func() *jsonschema.Schema {
		return &jsonschema.Schema{Type: "string", Pattern: prefixPattern}
	},
	// time.Time writes RFC 3339 with nanoseconds.
	reflect.TypeFor[time.Time](): func() *jsonschema.Schema { return &jsonschema.Schema{Type: "string", Format: "date-time"} },
	// url.URL has no text form in encoding/json (only MarshalBinary): it
	// travels as an object of its exported fields.
	reflect.TypeFor[url.URL](): urlSchema,
}

// ipSchema is the schema of netip.Addr and net.IP: an IPv4 or IPv6
// address in text form. The zero value, written as "", is refused, as is
// an IPv6 zone (format ipv6 has none); use a pointer or omitzero for an
// optional address.
func ipSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", AnyOf: []*jsonschema.Schema{{Format: "ipv4"}, {Format: "ipv6"}}}
}

// urlSchema is the object that encoding/json makes of a url.URL, field by
// field, with the package's required rule.
func urlSchema() *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "object", Properties: jsonschema.NewProperties(), AdditionalProperties: jsonschema.FalseSchema}
	for f := range reflect.TypeFor[url.URL]().Fields() {
		if !f.IsExported() {
			continue
		}
		var ps *jsonschema.Schema
		switch f.Type.Kind() {
		case reflect.String:
			ps = &jsonschema.Schema{Type: "string"}
		case reflect.Bool:
			ps = &jsonschema.Schema{Type: "boolean"}
		case reflect.Pointer: // *url.Userinfo: no exported fields, written as {}
			ps = nullable(&jsonschema.Schema{Type: "object"})
		default:
			ps = &jsonschema.Schema{}
		}
		s.Properties.Set(f.Name, ps)
		if f.Type.Kind() != reflect.Pointer {
			s.Required = append(s.Required, f.Name)
		}
	}
	return s
}

// wireSchema returns the schema of the JSON form of t (never a pointer)
// when that form is not what reflecting t's Go shape would say, else nil.
//
// In order: a type that gives invopop/jsonschema its own schema keeps it;
// the standard types of wireSchemas get theirs; a type (or pointer to it)
// with its own JSON form (see ownJSONForm) accepts any JSON value, since
// that form cannot be known; one with MarshalText or UnmarshalText is a
// string; a sized integer gets its bounds.
func wireSchema(t reflect.Type) *jsonschema.Schema {
	if t.Implements(customSchema) || t.Implements(aliasSchema) || t.Implements(extendSchema) || t.Implements(protoEnum) {
		return nil
	}
	if f := wireSchemas[t]; f != nil {
		return f()
	}
	if t.Kind() != reflect.Interface && ownForm(t) {
		if ownJSONForm(t) {
			return &jsonschema.Schema{}
		}
		return &jsonschema.Schema{Type: "string"}
	}
	if min, max, ok := intBounds(t); ok {
		return &jsonschema.Schema{Type: "integer", Minimum: min, Maximum: max}
	}
	return nil
}

// ownForm reports whether encoding/json writes or reads t through a method
// of t (or *t) rather than as t's Go shape. A struct with UnmarshalJSON
// but no MarshalJSON is taken to read the object of its fields, as the
// common pattern that sets defaults before decoding does.
func ownForm(t reflect.Type) bool {
	return ownJSONForm(t) || reflect.PointerTo(t).Implements(textMarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler)
}

// ownJSONForm reports whether t has its own JSON form: MarshalJSON, or
// UnmarshalJSON on a type that is not a struct.
func ownJSONForm(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(jsonMarshaler) || (pt.Implements(jsonUnmarshaler) && t.Kind() != reflect.Struct)
}

// intBounds returns the range of an integer type as exact JSON numbers:
// int64 and uint64 extremes do not fit a float64.
func intBounds(t reflect.Type) (min, max json.Number, ok bool) {
	bits := t.Bits
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := bits()
		lo := int64(math.MinInt64) >> (64 - n)
		hi := int64(math.MaxInt64) >> (64 - n)
		return json.Number(strconv.FormatInt(lo, 10)), json.Number(strconv.FormatInt(hi, 10)), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		hi := uint64(math.MaxUint64) >> (64 - bits())
		return "0", json.Number(strconv.FormatUint(hi, 10)), true
	}
	return "", "", false
}
