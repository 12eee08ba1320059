package fastdecode

import (
	"math/bits"
	"reflect"
	"unsafe"
)

// Checking while decoding.
//
// A server validates params against a schema and then decodes them: two
// walks over the same bytes, each matching the same member names. A
// [Checked] decoder does both in one walk. The decoder's own walk carries
// the structure (which member is which field, which members are present,
// how many elements an array has), and the schema's checks run only on
// the leaves: a string's pattern, a number's bounds. It is one-sided
// twice over: it reports true only for a value that json.Unmarshal decodes
// as it did and that the schema's checker certainly accepts; on false the
// caller validates and decodes the usual way, which decides and words the
// outcome.

// Schema is a JSON Schema as a [Checked] decoder checks it; the validate
// package implements it over its fast checker. Every check is one-sided:
// true means the value certainly satisfies the schema; false that it does
// not, or that the check cannot tell. A Schema is never nil: a schema that
// accepts anything is a Schema too.
type Schema interface {
	// Check checks the whole value at b[i], nested depth levels deep (0
	// for the outermost value), and returns the index just past it.
	Check(b []byte, i, depth int) (end int, ok bool)
	// Members returns how the schema checks an object member by member,
	// or nil when Check must check objects whole.
	Members() *Members
	// Elements returns how the schema checks an array element by element,
	// or nil when Check must check arrays whole.
	Elements() *Elements
	// Token returns the check of a string, number, true, false or null
	// token whole (quotes included): the same verdict as Check, faster.
	Token() func(tok []byte) bool
	// Strings returns the check of a string value, decoded (escapes and
	// all), or ok false when Token must decide each one; a nil check with
	// ok true accepts every string.
	Strings() (check func(s string) bool, ok bool)
	// Floats returns the open interval of numbers the schema accepts
	// whatever their form: a number whose nearest float64 lies strictly
	// inside it is accepted; ok false when Token must decide each one.
	Floats() (lo, hi float64, ok bool)
	// Integers returns the inclusive range of the integer literals (no
	// fraction, no exponent) the schema accepts, or ok false when Token
	// must decide each one.
	Integers() (lo, hi int64, ok bool)
	// MaxDepth is how deep the checks go: an object or array nested
	// deeper than that, counting itself, is undecided. It is read from
	// the outermost schema.
	MaxDepth() int
}

// Members is how a schema checks the members of an object when the object
// itself satisfies it.
type Members struct {
	// Member returns the schema of the value of a member named name.
	Member func(name string) Schema
	// AnyName reports that Member answers alike for every name and that
	// Required is empty: the values of a map can be checked.
	AnyName bool
	// Required lists the names that must be present.
	Required []string
	// Max is the most members allowed, -1 for no limit.
	Max int
}

// Elements is how a schema checks the elements of an array when the array
// itself satisfies it.
type Elements struct {
	Items    Schema // every element's schema
	Min, Max int    // the number of elements allowed; Max -1 for no limit
}

// check is a Schema bound to the node of one Go type: what a decode of
// that type checks, and where.
type check struct {
	value    func(b []byte, i, depth int) (int, bool) // the whole-value check
	token    func(tok []byte) bool                    // the check of a scalar
	object   bool                                     // objects are checked member by member
	array    bool                                     // arrays are checked element by element
	fields   []*check                                 // struct fields, by index
	elem     *check                                   // slice elements, map values, what a pointer points to
	required uint64                                   // struct fields that must be present
	min, max int                                      // members or elements; max -1 for no limit
	intLo    int64
	intHi    int64
	ints     bool // integer literals are decided by intLo and intHi (up to math.MaxInt64)
	floatLo  float64
	floatHi  float64
	floats   bool                // floats inside (floatLo, floatHi) are accepted
	str      func(s string) bool // the check of a decoded string, nil for none
	strings  bool                // str decides strings
	maxDepth int
}

func (chk *check) elemCheck() *check {
	if chk == nil {
		return nil
	}
	return chk.elem
}

func (chk *check) fieldCheck(f int) *check {
	if chk == nil {
		return nil
	}
	return chk.fields[f]
}

// membersOK reports whether a struct with the fields seen satisfies the
// check's constraints on its members.
func (chk *check) membersOK(seen uint64) bool {
	return chk == nil || (seen&chk.required == chk.required && chk.countOK(bits.OnesCount64(seen)))
}

// countOK reports whether count members or elements are allowed.
func (chk *check) countOK(count int) bool {
	return chk == nil || (count >= chk.min && (chk.max < 0 || count <= chk.max))
}

// decodeChecked is decode with a check. Containers are checked on the
// way down where the check allows it (member by member, element by
// element, or through a pointer), and whole once decoded where it does
// not; scalars are checked once decoded, most by the value they decoded
// to.
func (n *node) decodeChecked(b []byte, i int, p unsafe.Pointer, depth int, chk *check) (int, bool) {
	c := at(b, i)
	switch n.kind {
	case kindStruct, kindMap:
		if c == '{' && chk.object {
			if depth >= chk.maxDepth {
				return i, false
			}
			if n.kind == kindStruct {
				return n.decodeStruct(b, i, p, depth, chk)
			}
			return n.decodeMap(b, i, p, depth, chk)
		}
	case kindSlice:
		if c == '[' && chk.array {
			if depth >= chk.maxDepth {
				return i, false
			}
			return n.decodeSlice(b, i, p, depth, chk)
		}
	case kindPointer:
		if c != 'n' {
			q := reflect.New(n.elem.typ).UnsafePointer()
			*(*unsafe.Pointer)(p) = q
			return n.elem.decode(b, i, q, depth, chk.elem)
		}
	case kindString:
		if chk.strings && c == '"' {
			s, next, ok := parseString(b, i)
			if !ok {
				return i, false
			}
			*(*string)(p) = s
			return next, chk.str == nil || chk.str(s)
		}
	case kindInt:
		if chk.ints && c != 'n' {
			return decodeInt(b, i, p, n.size, chk.intLo, chk.intHi)
		}
	case kindUint:
		if chk.ints && chk.intHi >= 0 && c != 'n' {
			// The range is of int64s: a larger value is undecided here.
			return decodeUint(b, i, p, n.size, uint64(max(chk.intLo, 0)), uint64(chk.intHi))
		}
	case kindFloat:
		if c != 'n' {
			next, f, ok := decodeFloat(b, i, p, n.size)
			return next, ok && ((chk.floatOK(f, n.size) && shortExponent(b[i:next])) || chk.token(b[i:next]))
		}
	}
	next, ok := n.decode(b, i, p, depth, nil)
	if !ok {
		return i, false
	}
	if n.kind == kindDelegate || (n.kind >= kindStruct && c != 'n') {
		// A container the check does not follow: checked whole.
		end, ok := chk.value(b, i, depth)
		return next, ok && end == next
	}
	return next, chk.token(b[i:next]) // a scalar, or null
}

// shortExponent reports whether the number literal tok has no exponent or
// one of at most two digits. Only those are decided by their float64: the
// validator compares numbers exactly (as big.Rat) and cannot read some
// with longer exponents (0e10000000000000000000 is 0 to a float64), so it
// decides them.
func shortExponent(tok []byte) bool {
	for k, c := range tok {
		if c == 'e' || c == 'E' {
			digits := tok[k+1:]
			if len(digits) > 0 && (digits[0] == '+' || digits[0] == '-') {
				digits = digits[1:]
			}
			return len(digits) <= 2
		}
	}
	return true
}

// floatOK reports whether a number that decoded to the float64 f (bits
// 64) certainly satisfies the check: f lies strictly inside the bounds,
// which are float64 values, and rounding to the nearest float64 keeps a
// number on its side of each.
func (chk *check) floatOK(f float64, bits uintptr) bool {
	return chk.floats && bits == 64 && f > chk.floatLo && f < chk.floatHi
}

// Checked decodes JSON into values of type T and checks them against a
// schema in the same pass. It is safe for concurrent use.
type Checked[T any] struct {
	root  *node
	check *check
}

// Checked returns a decoder that checks the values it decodes against s.
func (d *Decoder[T]) Checked(s Schema) *Checked[T] {
	b := binder{limit: s.MaxDepth(), bound: map[binding]*check{}}
	return &Checked[T]{root: d.root, check: b.bind(d.root, s)}
}

// Decode decodes data into *v, which must hold T's zero value, and reports
// whether it did and the value certainly satisfies the schema. When it
// reports false, *v may be partly written, and nothing is known about the
// value: validate it and decode it the usual way.
func (d *Checked[T]) Decode(data []byte, v *T) bool {
	return decodeTop(d.root, d.check, data, unsafe.Pointer(v))
}

// CheckedValue is [Decoder.Checked] for a type known only at run time,
// such as one built with reflect.StructOf: decode is Checked.Decode, and v
// must be a pointer to a zero t. It returns nil when [For] would.
func CheckedValue(t reflect.Type, s Schema) (decode func(data []byte, v any) bool) {
	root := nodeOf(t)
	if root.kind == kindDelegate {
		return nil
	}
	b := binder{limit: s.MaxDepth(), bound: map[binding]*check{}}
	chk := b.bind(root, s)
	return func(data []byte, v any) bool {
		return decodeTop(root, chk, data, reflect.ValueOf(v).UnsafePointer())
	}
}

// decodeTop decodes and checks the one value data holds.
func decodeTop(root *node, chk *check, data []byte, p unsafe.Pointer) bool {
	i := skipSpace(data, 0)
	i, ok := root.decode(data, i, p, 0, chk)
	return ok && skipSpace(data, i) == len(data)
}

// binding is a node bound to a schema; recursive types and schemas bind
// to a finite graph of checks.
type binding struct {
	n *node
	s Schema
}

type binder struct {
	limit int
	bound map[binding]*check
}

func (b *binder) bind(n *node, s Schema) *check {
	key := binding{n, s}
	if c := b.bound[key]; c != nil {
		return c
	}
	c := &check{value: s.Check, token: s.Token(), max: -1, maxDepth: b.limit}
	b.bound[key] = c
	switch n.kind {
	case kindInt, kindUint:
		c.intLo, c.intHi, c.ints = s.Integers()
	case kindFloat:
		c.floatLo, c.floatHi, c.floats = s.Floats()
	case kindString:
		c.str, c.strings = s.Strings()
	case kindPointer:
		c.elem = b.bind(n.elem, s)
	case kindStruct:
		if m := s.Members(); m != nil {
			b.bindFields(c, n, m)
		}
	case kindMap:
		if m := s.Members(); m != nil && m.AnyName {
			c.object, c.elem, c.max = true, b.bind(n.elem, m.Member("")), m.Max
		}
	case kindSlice:
		if e := s.Elements(); e != nil {
			c.array, c.elem, c.min, c.max = true, b.bind(n.elem, e.Items), e.Min, e.Max
		}
	}
	return c
}

// bindFields binds a struct's fields to the schemas of the members of the
// same names. A required name that is no field's leaves objects to be
// checked whole.
func (b *binder) bindFields(c *check, n *node, m *Members) {
	var required uint64
	for _, name := range m.Required {
		f := -1
		for k := range n.fields {
			if n.fields[k].name == name {
				f = k
			}
		}
		if f < 0 {
			return
		}
		required |= 1 << f
	}
	fields := make([]*check, len(n.fields))
	for k, fd := range n.fields {
		fields[k] = b.bind(fd.node, m.Member(fd.name))
	}
	c.object, c.fields, c.required, c.max = true, fields, required, m.Max
}

// SchemaOf returns the Schema of a *validate.Validator's fast checker, or
// nil when the validator has none. The validate package sets it as it is
// initialised: a method of Validator would put this package's types in
// validate's public API.
var SchemaOf func(validator any) Schema
