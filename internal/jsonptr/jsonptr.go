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
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

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

// Lines finds the lines of values in a JSON text. Lookups share their
// work: each value reached on the way is remembered, so many pointers into
// one large document cost little more than one.
type Lines struct {
	data     []byte
	newlines []int          // offsets of the '\n' bytes, found on first use
	offsets  map[string]int // pointer -> offset of its value; -1 for none
}

// NewLines returns the Lines of data, a valid JSON text.
func NewLines(data []byte) *Lines {
	return &Lines{data: data, offsets: map[string]int{"": jsonscan.SkipSpace(data, 0)}}
}

// Line returns the 1-based line on which the value ptr points to starts
// in data, a valid JSON text (as it was decoded: of members given twice,
// the last), or 0 when ptr points to nothing in it.
func Line(data []byte, ptr string) int { return NewLines(data).Line(ptr) }

// Line returns the 1-based line on which the value ptr points to starts,
// or 0 when ptr points to nothing.
func (l *Lines) Line(ptr string) int {
	line, _ := l.Position(ptr)
	return line
}

// Position returns the 1-based line and column (in characters) at which
// the value ptr points to starts, or 0, 0 when ptr points to nothing.
func (l *Lines) Position(ptr string) (line, column int) {
	off := l.offset(ptr)
	if off < 0 || off >= len(l.data) {
		return 0, 0
	}
	if l.newlines == nil {
		l.newlines = []int{}
		for i, c := range l.data {
			if c == '\n' {
				l.newlines = append(l.newlines, i)
			}
		}
	}
	n, _ := slices.BinarySearch(l.newlines, off)
	start := 0
	if n > 0 {
		start = l.newlines[n-1] + 1
	}
	return n + 1, utf8.RuneCount(l.data[start:off]) + 1
}

// offset returns the offset of the value ptr points to, or -1.
func (l *Lines) offset(ptr string) int {
	if off, ok := l.offsets[ptr]; ok {
		return off
	}
	if ptr == "" || ptr[0] != '/' {
		return -1
	}
	cut := strings.LastIndexByte(ptr, '/')
	off := l.offset(ptr[:cut])
	if off >= 0 {
		off = l.child(off, ptr[cut+1:])
	}
	l.offsets[ptr] = off
	return off
}

// child returns the offset of the member or element the escaped token
// tok names in the value at offset off, or -1.
func (l *Lines) child(off int, tok string) int {
	name, err := Unescape(tok)
	if err != nil || off >= len(l.data) {
		return -1
	}
	data, found := l.data, -1
	switch data[off] {
	case '{':
		for key, val := range jsonscan.Members(data[off:]) {
			inner := key[1 : len(key)-1]
			if !jsonscan.HasEscape(inner) {
				if string(inner) == name {
					found = cap(data) - cap(val) // val is a slice of data
				}
			} else if s, ok := jsonscan.Unquote(key); ok && s == name {
				found = cap(data) - cap(val)
			}
		}
	case '[':
		k, ok := Index(name, math.MaxInt)
		if !ok {
			return -1
		}
		for el := range jsonscan.Elements(data[off:]) {
			if k == 0 {
				return cap(data) - cap(el)
			}
			k--
		}
	}
	return found
}
