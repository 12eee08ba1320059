package validate

import (
	"encoding/json"
	"strconv"

	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// ParamsShape is how a method takes its params.
type ParamsShape int

// The shapes of params.
const (
	// Named params: an object, or an array mapped onto the declared names
	// in order (the JSON-RPC "either" structure); absent params are {}.
	Named ParamsShape = iota
	// NoParams: params must be absent, [] or {}.
	NoParams
	// VariadicParams: any number of positional params; absent params are [].
	VariadicParams
	// AnyParams: params pass through as sent, without checks.
	AnyParams
)

// Params describes a method's params so that a server and a payload
// checker treat them alike: the server dispatches what [Params.Normalize]
// returns, the checker validates the same bytes. A Params is immutable and
// safe for concurrent use.
type Params struct {
	// Method is the method name, used in messages.
	Method string
	// Shape is how the method takes params.
	Shape ParamsShape
	// Names are the declared param names in positional order (Named only).
	Names []string
	// ByName refuses positional params; ByPosition refuses named ones
	// (OpenRPC paramStructure "by-name" / "by-position"). Both false means
	// either is accepted.
	ByName, ByPosition bool
}

var (
	emptyObject = json.RawMessage("{}")
	emptyArray  = json.RawMessage("[]")
)

// Normalize turns the params of a call (nil when absent, else a valid JSON
// array or object) into what the method's params schema validates: an
// object for Named params (positional ones mapped onto Names in order), an
// array for VariadicParams, nil for NoParams. It reports a violation when
// the params cannot take that form: too many positional params, an object
// for a variadic method, params for a method that takes none, or a
// structure the method refuses. Pointers name params by name.
func (p *Params) Normalize(params json.RawMessage) (json.RawMessage, *Error) {
	switch p.Shape {
	case AnyParams:
		return params, nil
	case NoParams:
		if params == nil || isEmptyContainer(params) {
			return nil, nil
		}
		kw := "maxItems"
		if params[0] == '{' {
			kw = "maxProperties"
		}
		return nil, violation("", kw, p.Method+" takes no params")
	case VariadicParams:
		if params == nil {
			return emptyArray, nil
		}
		if params[0] != '[' {
			return nil, violation("", "type", p.Method+" takes positional params (an array)")
		}
		return params, nil
	}
	switch {
	case params == nil:
		return emptyObject, nil
	case params[0] == '{':
		if p.ByPosition {
			return nil, violation("", "type", p.Method+" takes params by position (an array)")
		}
		return params, nil
	}
	if p.ByName {
		return nil, violation("", "type", p.Method+" takes params by name (an object)")
	}
	return p.positionalToNamed(params)
}

// positionalToNamed maps a params array onto the declared names, in order.
func (p *Params) positionalToNamed(arr json.RawMessage) (json.RawMessage, *Error) {
	n, size := 0, 2
	for el := range jsonscan.Elements(arr) {
		if n == len(p.Names) {
			count := n
			for range jsonscan.Elements(arr) {
				count++
			}
			count -= n
			return nil, violation("/"+strconv.Itoa(len(p.Names)), "maxItems",
				"too many params: "+p.Method+" takes at most "+strconv.Itoa(len(p.Names))+", got "+strconv.Itoa(count))
		}
		size += len(p.Names[n]) + len(el) + 4
		n++
	}
	obj := make([]byte, 0, size)
	obj = append(obj, '{')
	i := 0
	for el := range jsonscan.Elements(arr) {
		if i > 0 {
			obj = append(obj, ',')
		}
		obj = appendName(obj, p.Names[i])
		obj = append(obj, ':')
		obj = append(obj, el...)
		i++
	}
	return append(obj, '}'), nil
}

// appendName appends name as a JSON string.
func appendName(dst []byte, name string) []byte {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
			b, _ := json.Marshal(name)
			return append(dst, b...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	return append(dst, '"')
}

func violation(pointer, keyword, message string) *Error {
	return &Error{Violations: []Violation{{Pointer: pointer, Keyword: keyword, Message: message}}}
}

// isEmptyContainer reports whether b is [] or {}, whitespace aside.
func isEmptyContainer(b []byte) bool {
	s := jsonscan.TrimSpace(b)
	if len(s) < 2 || (s[0] != '[' && s[0] != '{') {
		return false
	}
	return len(jsonscan.TrimSpace(s[1:len(s)-1])) == 0
}
