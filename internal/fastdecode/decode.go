// Package fastdecode decodes JSON into Go values exactly as encoding/json's
// Unmarshal does, several times faster, for the shapes params types have:
// structs with tagged fields, strings, booleans, integers, floats, pointers,
// slices and maps with string keys, nested and recursive.
//
// It is one-sided, as the fast validator is: a [Decoder] either produces
// the very value json.Unmarshal would (and json.Unmarshal would return no
// error), or it gives up and the caller decodes with encoding/json, whose
// value and error are the reference. It gives up on whatever it does not
// handle itself: a member name that is not exactly a field's (encoding/json
// would match it without regard to case, or ignore it), a member given
// twice, a value of the wrong JSON type, an integer out of range, and any
// input that is not valid JSON. Fields of embedded struct values are
// promoted as encoding/json promotes them. Values of types with their own
// decoding (json.Unmarshaler, encoding.TextUnmarshaler), interfaces,
// arrays, byte slices, maps with other keys, and structs whose embedding
// or tags bring in encoding/json's finer rules (embedded pointers, tagged
// or non-struct embedded fields, names given twice, ",string") are handed
// to encoding/json one value at a time, so that a time.Time member does
// not make its whole struct slow.
//
// Where the time goes in encoding/json: it scans the input twice (once to
// check it, once to decode), calls a state function for every byte, and
// looks fields up through a map of folded names. This package scans once
// and matches members in the struct's order first.
//
// A [Checked] decoder also validates what it decodes against a JSON
// Schema (the validate package's fast checker), in the same pass: see
// check.go.
package fastdecode

import (
	"encoding"
	"encoding/json"
	"math"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// maxDepth is encoding/json's nesting limit; deeper input is left to it.
const maxDepth = 10000

// Decoder decodes JSON into values of type T. It is safe for concurrent
// use.
type Decoder[T any] struct{ root *node }

// For returns the Decoder of T, or nil when encoding/json's own decoding of
// T could not be bettered (T itself is handed to encoding/json whole: an
// interface, a type with an UnmarshalJSON method, a struct with embedded
// fields...). Decoders are cached per type.
func For[T any]() *Decoder[T] {
	n := nodeOf(reflect.TypeFor[T]())
	if n.kind == kindDelegate {
		return nil
	}
	return &Decoder[T]{root: n}
}

var decoders sync.Map // reflect.Type -> *Decoder[T], nil ones included

// Of returns For[T](), built on the first call for T and then found
// without locking: for code that decodes a type on every call.
func Of[T any]() *Decoder[T] {
	t := reflect.TypeFor[T]()
	if d, ok := decoders.Load(t); ok {
		return d.(*Decoder[T])
	}
	d, _ := decoders.LoadOrStore(t, For[T]())
	return d.(*Decoder[T])
}

// Decode decodes data into *v, which must hold T's zero value, and reports
// whether it did. When it reports false, *v may be partly written: reset it
// to the zero value and decode with json.Unmarshal.
func (d *Decoder[T]) Decode(data []byte, v *T) bool {
	i := skipSpace(data, 0)
	i, ok := d.root.decode(data, i, unsafe.Pointer(v), 0, nil)
	return ok && skipSpace(data, i) == len(data)
}

// Unmarshal decodes data into *v, which must hold T's zero value, with d,
// and with unmarshal (json.Unmarshal, or a codec that decodes as it does)
// when d is nil or gives up; the error is unmarshal's.
func (d *Decoder[T]) Unmarshal(data []byte, v *T, unmarshal func([]byte, any) error) error {
	if d != nil && d.Decode(data, v) {
		return nil
	}
	var zero T
	*v = zero
	return unmarshal(data, v)
}

type kind uint8

const (
	kindDelegate kind = iota // handed to encoding/json
	kindBool
	kindString
	kindInt
	kindUint
	kindFloat
	kindStruct
	kindPointer
	kindSlice
	kindMap
	kindPending // being built (a recursive type refers to itself)
)

// node is how to decode one Go type.
type node struct {
	kind   kind
	typ    reflect.Type
	size   uintptr // integers: bytes; floats: bits; slices: element size
	elem   *node   // pointer, slice and map elements
	fields []field // struct fields in declaration order
	byName map[string]int
}

// field is a struct field as encoding/json names it.
type field struct {
	name   string
	offset uintptr
	node   *node
}

var (
	cacheMu sync.Mutex
	cache   = map[reflect.Type]*node{}

	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// nodeOf returns the node of t, building it (and the nodes it refers to)
// on first use.
func nodeOf(t reflect.Type) *node {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	return build(t)
}

// build returns t's node. It is called with cacheMu held; a node enters the
// cache before its elements are built, so recursive types end.
func build(t reflect.Type) *node {
	if n := cache[t]; n != nil {
		return n
	}
	n := &node{typ: t, kind: kindPending}
	cache[t] = n
	defer func() {
		if n.kind == kindPending {
			n.kind = kindDelegate
		}
	}()
	if decodesItself(t) {
		return n
	}
	switch t.Kind() {
	case reflect.Bool:
		n.kind = kindBool
	case reflect.String:
		n.kind = kindString
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n.kind, n.size = kindInt, t.Size()
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n.kind, n.size = kindUint, t.Size()
	case reflect.Float32, reflect.Float64:
		n.kind, n.size = kindFloat, uintptr(t.Bits())
	// A container of values that encoding/json decodes itself is left to
	// it whole: one call instead of one per element.
	case reflect.Pointer:
		if t.Elem().Kind() != reflect.Pointer {
			if n.elem = build(t.Elem()); n.elem.kind != kindDelegate {
				n.kind = kindPointer
			}
		}
	case reflect.Slice:
		if t.Elem().Kind() != reflect.Uint8 { // []byte is base64 or numbers: encoding/json's
			if n.elem = build(t.Elem()); n.elem.kind != kindDelegate {
				n.kind, n.size = kindSlice, t.Elem().Size()
			}
		}
	case reflect.Map:
		if k := t.Key(); k.Kind() == reflect.String && !decodesItself(k) {
			if n.elem = build(t.Elem()); n.elem.kind != kindDelegate {
				n.kind = kindMap
			}
		}
	case reflect.Struct:
		buildStruct(n)
	}
	return n
}

// decodesItself reports whether encoding/json decodes t (or *t) through
// its own methods.
func decodesItself(t reflect.Type) bool {
	if t.Kind() == reflect.Interface {
		return true
	}
	p := reflect.PointerTo(t)
	return t.Implements(jsonUnmarshaler) || t.Implements(textUnmarshaler) ||
		p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler)
}

// buildStruct lists the fields encoding/json decodes, by the names it
// gives them, or leaves the struct to encoding/json when its field rules
// are not plain: ",string" options, tag names it does not allow, two
// fields with one name (dominance rules), embedded fields other than
// untagged struct values (pointers are allocated on the way, tags rename),
// or more than 64 fields (the seen set). Fields of embedded struct values
// are promoted, as encoding/json promotes them.
func buildStruct(n *node) {
	var (
		fields []field
		types  []reflect.Type
	)
	if !collectFields(n.typ, 0, &fields, &types) || len(fields) > 64 {
		return
	}
	for i := range fields {
		for _, g := range fields[:i] {
			if g.name == fields[i].name {
				return
			}
		}
	}
	// Element nodes are built only once the struct is known to be ours.
	for i, ft := range types {
		fields[i].node = build(ft)
	}
	n.fields = fields
	if len(fields) > 8 {
		n.byName = make(map[string]int, len(fields))
		for i, f := range fields {
			n.byName[f.name] = i
		}
	}
	n.kind = kindStruct
}

// collectFields appends the fields of struct t, at offset base in the
// outermost struct, promoting those of embedded struct values; it reports
// false for a struct to leave to encoding/json (see buildStruct).
func collectFields(t reflect.Type, base uintptr, fields *[]field, types *[]reflect.Type) bool {
	for i := range t.NumField() {
		sf := t.Field(i)
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if sf.Anonymous {
			if name != "" || sf.Type.Kind() != reflect.Struct {
				return false
			}
			if !collectFields(sf.Type, base+sf.Offset, fields, types) {
				return false
			}
			continue
		}
		if !sf.IsExported() {
			continue
		}
		for o := range strings.SplitSeq(opts, ",") {
			if o == "string" {
				return false
			}
		}
		switch {
		case name == "":
			name = sf.Name
		case !validTagName(name):
			// encoding/json uses the Go name; built with GOEXPERIMENT=jsonv2 it
			// uses the tag. Either way it is rare: leave it to encoding/json.
			return false
		}
		*fields = append(*fields, field{name: name, offset: base + sf.Offset})
		*types = append(*types, sf.Type)
	}
	return true
}

// validTagName reports whether encoding/json takes name from a json tag as
// the field's name (it uses the Go name otherwise).
func validTagName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && jsonscan.IsSpace(b[i]) {
		i++
	}
	return i
}

// at returns b[i], or 0 (which starts no JSON token) past the end.
func at(b []byte, i int) byte {
	if i < len(b) {
		return b[i]
	}
	return 0
}

// decode decodes the value starting at b[i] (not whitespace) into the
// value of n's type at p, and returns the index just past it. With a
// check (see Checked) it also checks the value, and reports false unless
// the value certainly satisfies the schema.
func (n *node) decode(b []byte, i int, p unsafe.Pointer, depth int, chk *check) (int, bool) {
	if chk != nil {
		return n.decodeChecked(b, i, p, depth, chk)
	}
	c := at(b, i)
	if c == 'n' && n.kind != kindDelegate {
		if !hasLiteral(b, i, "null") {
			return i, false
		}
		// null leaves the value as it is, except that it clears pointers,
		// slices and maps; every value here starts at zero.
		return i + 4, true
	}
	switch n.kind {
	case kindBool:
		switch {
		case c == 't' && hasLiteral(b, i, "true"):
			*(*bool)(p) = true
			return i + 4, true
		case c == 'f' && hasLiteral(b, i, "false"):
			*(*bool)(p) = false
			return i + 5, true
		}
		return i, false
	case kindString:
		if c != '"' {
			return i, false
		}
		s, next, ok := parseString(b, i)
		if ok {
			*(*string)(p) = s
		}
		return next, ok
	case kindInt:
		return decodeInt(b, i, p, n.size, math.MinInt64, math.MaxInt64)
	case kindUint:
		return decodeUint(b, i, p, n.size, 0, math.MaxUint64)
	case kindFloat:
		next, _, ok := decodeFloat(b, i, p, n.size)
		return next, ok
	case kindStruct:
		if depth >= maxDepth {
			return i, false
		}
		return n.decodeStruct(b, i, p, depth, nil)
	case kindPointer:
		q := reflect.New(n.elem.typ).UnsafePointer()
		*(*unsafe.Pointer)(p) = q
		return n.elem.decode(b, i, q, depth, nil)
	case kindSlice:
		if depth >= maxDepth {
			return i, false
		}
		return n.decodeSlice(b, i, p, depth, nil)
	case kindMap:
		if depth >= maxDepth {
			return i, false
		}
		return n.decodeMap(b, i, p, depth, nil)
	}
	return n.delegate(b, i, p)
}

// delegate decodes the value at b[i] with encoding/json.
func (n *node) delegate(b []byte, i int, p unsafe.Pointer) (int, bool) {
	end := jsonscan.SkipValue(b, i)
	if end <= i || end > len(b) {
		return i, false
	}
	if err := json.Unmarshal(b[i:end], reflect.NewAt(n.typ, p).Interface()); err != nil {
		return i, false
	}
	return end, true
}

func hasLiteral(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

func (n *node) decodeStruct(b []byte, i int, p unsafe.Pointer, depth int, chk *check) (int, bool) {
	if at(b, i) != '{' {
		return i, false
	}
	i = skipSpace(b, i+1)
	var seen uint64
	if at(b, i) == '}' {
		return i + 1, chk.membersOK(seen)
	}
	next := 0 // members usually come in field order
	for {
		key, j, ok := rawKey(b, i)
		if !ok {
			return i, false
		}
		f := -1
		switch {
		case next < len(n.fields) && n.fields[next].name == string(key):
			f = next
		case n.byName != nil:
			if k, found := n.byName[string(key)]; found {
				f = k
			}
		default:
			for k := range n.fields {
				if n.fields[k].name == string(key) {
					f = k
					break
				}
			}
		}
		if f < 0 || seen&(1<<f) != 0 {
			return i, false // another name, or a repeated one: encoding/json's rules
		}
		seen |= 1 << f
		next = f + 1
		if i = skipSpace(b, j); at(b, i) != ':' {
			return i, false
		}
		fd := &n.fields[f]
		if i, ok = fd.node.decode(b, skipSpace(b, i+1), unsafe.Add(p, fd.offset), depth+1, chk.fieldCheck(f)); !ok {
			return i, false
		}
		switch i = skipSpace(b, i); at(b, i) {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return i + 1, chk.membersOK(seen)
		default:
			return i, false
		}
	}
}

// rawKey returns a member name without escapes, and the index past it.
func rawKey(b []byte, i int) ([]byte, int, bool) {
	if at(b, i) != '"' {
		return nil, i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return b[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20:
			return nil, i, false
		}
	}
	return nil, i, false
}

func (n *node) decodeSlice(b []byte, i int, p unsafe.Pointer, depth int, chk *check) (int, bool) {
	if at(b, i) != '[' {
		return i, false
	}
	sv := reflect.NewAt(n.typ, p).Elem()
	i = skipSpace(b, i+1)
	if at(b, i) == ']' {
		sv.Set(reflect.MakeSlice(n.typ, 0, 0)) // [] is an empty slice, not nil
		return i + 1, chk.countOK(0)
	}
	elem := chk.elemCheck()
	for k := 0; ; k++ {
		if k == sv.Cap() {
			sv.Grow(1)
		}
		sv.SetLen(k + 1)
		var ok bool
		if i, ok = n.elem.decode(b, i, unsafe.Add(sv.UnsafePointer(), uintptr(k)*n.size), depth+1, elem); !ok {
			return i, false
		}
		switch i = skipSpace(b, i); at(b, i) {
		case ',':
			i = skipSpace(b, i+1)
		case ']':
			return i + 1, chk.countOK(k + 1)
		default:
			return i, false
		}
	}
}

func (n *node) decodeMap(b []byte, i int, p unsafe.Pointer, depth int, chk *check) (int, bool) {
	if at(b, i) != '{' {
		return i, false
	}
	mv := reflect.NewAt(n.typ, p).Elem()
	if mv.IsNil() {
		mv.Set(reflect.MakeMap(n.typ))
	}
	i = skipSpace(b, i+1)
	if at(b, i) == '}' {
		return i + 1, chk.countOK(0)
	}
	kv := reflect.New(n.typ.Key()).Elem()
	ev := reflect.New(n.elem.typ).Elem()
	ep := ev.Addr().UnsafePointer()
	elem := chk.elemCheck()
	for count := 1; ; count++ {
		if at(b, i) != '"' {
			return i, false
		}
		key, j, ok := parseString(b, i)
		if !ok {
			return i, false
		}
		if i = skipSpace(b, j); at(b, i) != ':' {
			return i, false
		}
		ev.SetZero()
		if i, ok = n.elem.decode(b, skipSpace(b, i+1), ep, depth+1, elem); !ok {
			return i, false
		}
		kv.SetString(key)
		mv.SetMapIndex(kv, ev)
		switch i = skipSpace(b, i); at(b, i) {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			// Members given twice are counted twice: the count is never
			// below the map's size.
			return i + 1, chk.countOK(count)
		default:
			return i, false
		}
	}
}

// parseString decodes the JSON string starting at b[i] as encoding/json
// does: escapes are decoded, a lone surrogate and each byte of invalid
// UTF-8 become U+FFFD.
func parseString(b []byte, i int) (string, int, bool) {
	ascii := true
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			raw := b[i+1 : j]
			if !ascii && !utf8.Valid(raw) {
				return unescape(raw, j+1)
			}
			return string(raw), j + 1, true
		case c == '\\':
			end := jsonscan.SkipValue(b, i)
			if end <= j || end > len(b) || b[end-1] != '"' {
				return "", i, false
			}
			return unescape(b[i+1:end-1], end)
		case c < 0x20:
			return "", i, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return "", i, false
}

// unescape decodes the inside of a JSON string; next is returned as is.
func unescape(s []byte, next int) (string, int, bool) {
	out := make([]byte, 0, len(s)+8)
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			if r+1 >= len(s) {
				return "", next, false
			}
			switch s[r+1] {
			case '"', '\\', '/':
				out = append(out, s[r+1])
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				rr := hex4(s, r)
				if rr < 0 {
					return "", next, false
				}
				r += 6
				if utf16.IsSurrogate(rr) {
					// A pair decodes to one rune; anything else is U+FFFD
					// and the next escape is read on its own.
					if dec := utf16.DecodeRune(rr, hex4(s, r)); dec != unicode.ReplacementChar {
						rr = dec
						r += 6
					} else {
						rr = unicode.ReplacementChar
					}
				}
				out = utf8.AppendRune(out, rr)
				continue
			default:
				return "", next, false
			}
			r += 2
		case c == '"' || c < 0x20:
			return "", next, false
		case c < utf8.RuneSelf:
			out = append(out, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			if rr == utf8.RuneError && size == 1 {
				out = utf8.AppendRune(out, unicode.ReplacementChar)
			} else {
				out = append(out, s[r:r+size]...)
			}
			r += size
		}
	}
	return string(out), next, true
}

// hex4 reads the escape \uXXXX at s[r:], or returns -1.
func hex4(s []byte, r int) rune {
	if len(s)-r < 6 || s[r] != '\\' || s[r+1] != 'u' {
		return -1
	}
	var v rune
	for _, c := range s[r+2 : r+6] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		v = v<<4 | rune(c)
	}
	return v
}

// integer reads a JSON integer (no fraction, no exponent: encoding/json
// refuses those for integer types) at b[i]. It returns the digits (with
// the sign), the index past them, and whether the token is such an integer.
func integer(b []byte, i int) ([]byte, int, bool) {
	j := i
	if at(b, j) == '-' {
		j++
	}
	switch c := at(b, j); {
	case c == '0':
		j++
	case c >= '1' && c <= '9':
		for j++; at(b, j) >= '0' && at(b, j) <= '9'; j++ {
		}
	default:
		return nil, i, false
	}
	switch at(b, j) {
	case '.', 'e', 'E':
		return nil, i, false
	}
	return b[i:j], j, true
}

// decodeInt decodes an integer of size bytes at b[i] into p when it lies
// within [lo, hi].
func decodeInt(b []byte, i int, p unsafe.Pointer, size uintptr, lo, hi int64) (int, bool) {
	tok, next, ok := integer(b, i)
	if !ok {
		return i, false
	}
	var v int64
	if len(tok) <= 18 {
		neg := tok[0] == '-'
		if neg {
			tok = tok[1:]
		}
		for _, c := range tok {
			v = v*10 + int64(c-'0')
		}
		if neg {
			v = -v
		}
	} else {
		var err error
		if v, err = strconv.ParseInt(unsafeString(tok), 10, 64); err != nil {
			return i, false
		}
	}
	if v < lo || v > hi || !storeInt(p, size, v) {
		return i, false
	}
	return next, true
}

// decodeUint decodes an unsigned integer of size bytes at b[i] into p
// when it lies within [lo, hi].
func decodeUint(b []byte, i int, p unsafe.Pointer, size uintptr, lo, hi uint64) (int, bool) {
	tok, next, ok := integer(b, i)
	if !ok || tok[0] == '-' { // encoding/json refuses even -0
		return i, false
	}
	var v uint64
	if len(tok) <= 19 {
		for _, c := range tok {
			v = v*10 + uint64(c-'0')
		}
	} else {
		var err error
		if v, err = strconv.ParseUint(unsafeString(tok), 10, 64); err != nil {
			return i, false
		}
	}
	if v < lo || v > hi || !storeUint(p, size, v) {
		return i, false
	}
	return next, true
}

// storeInt writes v at p as a signed integer of size bytes, reporting
// whether it fits there.
func storeInt(p unsafe.Pointer, size uintptr, v int64) bool {
	switch size {
	case 1:
		return store[int8](p, v)
	case 2:
		return store[int16](p, v)
	case 4:
		return store[int32](p, v)
	}
	return store[int64](p, v)
}

// storeUint is storeInt for unsigned integers.
func storeUint(p unsafe.Pointer, size uintptr, v uint64) bool {
	switch size {
	case 1:
		return store[uint8](p, v)
	case 2:
		return store[uint16](p, v)
	case 4:
		return store[uint32](p, v)
	}
	return store[uint64](p, v)
}

// store writes v at p as a T when T holds it exactly.
func store[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64, V int64 | uint64](p unsafe.Pointer, v V) bool {
	if V(T(v)) != v {
		return false
	}
	*(*T)(p) = T(v)
	return true
}

func decodeFloat(b []byte, i int, p unsafe.Pointer, bits uintptr) (int, float64, bool) {
	j := i
	for ; j < len(b); j++ {
		if c := b[j]; (c < '0' || c > '9') && c != '-' && c != '+' && c != '.' && c != 'e' && c != 'E' {
			break
		}
	}
	tok := b[i:j]
	if !jsonscan.IsNumber(tok) {
		return i, 0, false
	}
	f, err := strconv.ParseFloat(unsafeString(tok), int(bits))
	if err != nil {
		return i, 0, false
	}
	if bits == 32 {
		*(*float32)(p) = float32(f)
	} else {
		*(*float64)(p) = f
	}
	return j, f, true
}

// unsafeString views b as a string for a call that does not keep it.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
