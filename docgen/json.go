package docgen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// object is a decoded JSON object that remembers the order of its keys, so
// that rendered output (property tables, example payloads) follows the
// order of the source document and is deterministic.
type object struct {
	keys []string
	vals map[string]any
}

// get returns the value stored under key, or nil.
func (o *object) get(key string) any {
	if o == nil {
		return nil
	}
	return o.vals[key]
}

// has reports whether key is present (even with a null value).
func (o *object) has(key string) bool {
	if o == nil {
		return false
	}
	_, ok := o.vals[key]
	return ok
}

// str returns the value under key if it is a string.
func (o *object) str(key string) string {
	s, _ := o.get(key).(string)
	return s
}

// obj returns the value under key if it is an object.
func (o *object) obj(key string) *object {
	v, _ := o.get(key).(*object)
	return v
}

// arr returns the value under key if it is an array.
func (o *object) arr(key string) []any {
	v, _ := o.get(key).([]any)
	return v
}

// boolean returns the value under key if it is a boolean.
func (o *object) boolean(key string) bool {
	v, _ := o.get(key).(bool)
	return v
}

// decodeJSON parses data into the ordered value model: *object, []any,
// string, json.Number, bool or nil. Trailing data after the first value is
// an error.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, errors.New("unexpected data after top-level value")
		}
		return nil, err
	}
	return v, nil
}

// maxDepth bounds the nesting of arrays and objects, as encoding/json
// bounds it when decoding into a value.
const maxDepth = 10000

// maxPrettyDepth is the nesting past which JSON is written on one line,
// so that the indentation of a deeply nested example cannot make the
// output quadratic in its size.
const maxPrettyDepth = 32

func decodeValue(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("nesting deeper than %d levels", maxDepth)
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &object{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is %T, not a string", kt)
				}
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				if _, dup := o.vals[k]; !dup {
					o.keys = append(o.keys, k)
				}
				o.vals[k] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return a, nil
		}
		return nil, fmt.Errorf("unexpected delimiter %q", t)
	default:
		return t, nil
	}
}

// encodeJSON writes v as JSON. With indent != "" the output is
// pretty-printed using indent per level. HTML characters are not escaped:
// callers escape for their output format.
func encodeJSON(v any, indent string) string {
	var b strings.Builder
	writeJSON(&b, v, indent, 0)
	return b.String()
}

func writeJSON(b *strings.Builder, v any, indent string, level int) {
	if level >= maxPrettyDepth {
		indent = ""
	}
	newline := func(l int) {
		if indent != "" {
			b.WriteByte('\n')
			b.WriteString(strings.Repeat(indent, l))
		}
	}
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if t {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case json.Number:
		b.WriteString(t.String())
	case string:
		writeJSONString(b, t)
	case []any:
		if len(t) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
				if indent == "" {
					b.WriteByte(' ')
				}
			}
			newline(level + 1)
			writeJSON(b, e, indent, level+1)
		}
		newline(level)
		b.WriteByte(']')
	case *object:
		if t == nil || len(t.keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				b.WriteByte(',')
				if indent == "" {
					b.WriteByte(' ')
				}
			}
			newline(level + 1)
			writeJSONString(b, k)
			b.WriteString(": ")
			writeJSON(b, t.vals[k], indent, level+1)
		}
		newline(level)
		b.WriteByte('}')
	default:
		// Values built by this package (e.g. ints in request envelopes).
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(t); err != nil {
			b.WriteString("null")
			return
		}
		b.WriteString(strings.TrimSuffix(buf.String(), "\n"))
	}
}

func writeJSONString(b *strings.Builder, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // encoding a string cannot fail
	b.WriteString(strings.TrimSuffix(buf.String(), "\n"))
}

// newObject builds an ordered object from alternating keys and values.
func newObject(kv ...any) *object {
	o := &object{vals: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		k := kv[i].(string)
		if _, dup := o.vals[k]; !dup {
			o.keys = append(o.keys, k)
		}
		o.vals[k] = kv[i+1]
	}
	return o
}
