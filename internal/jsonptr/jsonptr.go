// Package jsonptr implements RFC 6901 JSON pointers over decoded JSON
// values, and the resolution of "$ref" references of OpenRPC documents
// (inside the document, or in other files below a base directory) that
// package lint and package docgen share.
//
// Values are what encoding/json decodes into an any (map[string]any,
// []any, string, json.Number or float64, bool, nil); a JSON object held
// in another type takes part by implementing [Object].
package jsonptr

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// An Object is a decoded JSON object held in a type other than
// map[string]any, such as one that remembers the order of its members.
type Object interface {
	// Member returns the value of the member called name and whether the
	// object has it.
	Member(name string) (any, bool)
}

// Escape escapes s as a reference token: "~" becomes "~0", "/" becomes
// "~1".
func Escape(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// Unescape returns the name a reference token stands for. A "~" that is
// not followed by "0" or "1" is an error.
func Unescape(tok string) (string, error) {
	if !strings.Contains(tok, "~") {
		return tok, nil
	}
	var b strings.Builder
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c != '~' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(tok) || (tok[i+1] != '0' && tok[i+1] != '1') {
			return "", fmt.Errorf("reference token %q: \"~\" must be followed by 0 or 1", tok)
		}
		if tok[i+1] == '0' {
			b.WriteByte('~')
		} else {
			b.WriteByte('/')
		}
		i++
	}
	return b.String(), nil
}

// Append returns ptr extended with one token per name, each escaped.
func Append(ptr string, names ...string) string {
	var b strings.Builder
	b.WriteString(ptr)
	for _, n := range names {
		b.WriteByte('/')
		b.WriteString(Escape(n))
	}
	return b.String()
}

// Parse returns the names the tokens of ptr stand for, unescaped; the
// empty pointer, which names the whole value, has none. A non-empty
// pointer must start with "/".
func Parse(ptr string) ([]string, error) {
	if ptr == "" {
		return nil, nil
	}
	if ptr[0] != '/' {
		return nil, fmt.Errorf("JSON pointer %q does not start with \"/\"", ptr)
	}
	toks := strings.Split(ptr[1:], "/")
	for i, t := range toks {
		u, err := Unescape(t)
		if err != nil {
			return nil, err
		}
		toks[i] = u
	}
	return toks, nil
}

// Split returns the first reference token of ptr, as written (escaped),
// and the rest of ptr: Split("/a~1b/0") is "a~1b", "/0".
func Split(ptr string) (first, rest string) {
	p := strings.TrimPrefix(ptr, "/")
	first, rest, ok := strings.Cut(p, "/")
	if ok {
		rest = "/" + rest
	}
	return first, rest
}

// Index returns the array index tok stands for in an array of n elements.
// As RFC 6901 says, an index is "0" or digits without a leading zero; a
// sign, a leading zero, or an index past the end is not one.
func Index(tok string, n int) (int, bool) {
	if tok == "" || len(tok) > 18 || (len(tok) > 1 && tok[0] == '0') {
		return 0, false
	}
	i := 0
	for j := 0; j < len(tok); j++ {
		c := tok[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		i = i*10 + int(c-'0')
	}
	return i, i < n
}

// Resolve returns the value ptr points to in v. The error names the
// deepest value reached and why the next token does not apply to it.
func Resolve(v any, ptr string) (any, error) {
	toks, err := Parse(ptr)
	if err != nil {
		return nil, err
	}
	at := ""
	for _, tok := range toks {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[tok]
			if !ok {
				return nil, fmt.Errorf("%s has no member %q", describe(at), tok)
			}
			v = next
		case Object:
			next, ok := x.Member(tok)
			if !ok {
				return nil, fmt.Errorf("%s has no member %q", describe(at), tok)
			}
			v = next
		case []any:
			i, ok := Index(tok, len(x))
			if !ok {
				return nil, fmt.Errorf("%s has no element %q (an array of %d)", describe(at), tok, len(x))
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("%s is not an object or array", describe(at))
		}
		at = Append(at, tok)
	}
	return v, nil
}

func describe(ptr string) string {
	if ptr == "" {
		return "the root"
	}
	return ptr
}

// Line returns the 1-based line on which the value ptr points to starts
// in data, a valid JSON text (as it was decoded: of members given twice,
// the last), or 0 when ptr points to nothing in it.
func Line(data []byte, ptr string) int {
	toks, err := Parse(ptr)
	if err != nil {
		return 0
	}
	i := jsonscan.SkipSpace(data, 0)
	for _, tok := range toks {
		if i >= len(data) {
			return 0
		}
		next := -1
		switch data[i] {
		case '{':
			for key, val := range jsonscan.Members(data[i:]) {
				if name, ok := jsonscan.Unquote(key); ok && name == tok {
					next = cap(data) - cap(val) // val is a slice of data
				}
			}
		case '[':
			n := 0
			for range jsonscan.Elements(data[i:]) {
				n++
			}
			if k, ok := Index(tok, n); ok {
				for el := range jsonscan.Elements(data[i:]) {
					if k == 0 {
						next = cap(data) - cap(el)
						break
					}
					k--
				}
			}
		}
		if next < 0 {
			return 0
		}
		i = next
	}
	if i >= len(data) {
		return 0
	}
	return 1 + bytes.Count(data[:i], []byte{'\n'})
}
