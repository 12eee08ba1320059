// Package jsonscan walks JSON text that is already known to be valid
// (json.Valid accepted it), finding where values, array elements and object
// members start and end without decoding them. It allocates nothing.
package jsonscan

import (
	"bytes"
	"encoding/json"
	"iter"
)

// IsSpace reports whether c is JSON whitespace.
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// TrimSpace returns b without leading and trailing JSON whitespace.
func TrimSpace(b []byte) []byte {
	for len(b) > 0 && IsSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && IsSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// SkipSpace returns the index of the first byte at or after b[i] that is
// not JSON whitespace (len(b) when there is none).
func SkipSpace(b []byte, i int) int { return skipSpace(b, i) }

func skipSpace(b []byte, i int) int {
	for i < len(b) && IsSpace(b[i]) {
		i++
	}
	return i
}

// SkipValue returns the index just past the value that starts at b[i]
// (leading whitespace allowed).
func SkipValue(b []byte, i int) int {
	i = skipSpace(b, i)
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	default: // number, true, false, null
		for i < len(b) {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return i
			}
			i++
		}
		return i
	}
}

// skipString returns the index just past the string that starts at b[i].
func skipString(b []byte, i int) int {
	i++ // opening quote
	for i < len(b) {
		switch b[i] {
		case '\\':
			i += 2
			continue
		case '"':
			return i + 1
		}
		i++
	}
	return i
}

// Elements yields the elements of the valid JSON array arr.
func Elements(arr []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		i := skipSpace(arr, 1)
		for i < len(arr) && arr[i] != ']' {
			end := SkipValue(arr, i)
			if !yield(arr[i:end]) {
				return
			}
			i = skipSpace(arr, end)
			if i < len(arr) && arr[i] == ',' {
				i = skipSpace(arr, i+1)
			}
		}
	}
}

// Members yields the keys (as raw JSON strings, quotes included) and values
// of the valid JSON object obj. Use [Unquote] to read a key.
func Members(obj []byte) iter.Seq2[[]byte, []byte] {
	return func(yield func([]byte, []byte) bool) {
		i := skipSpace(obj, 1)
		for i < len(obj) && obj[i] == '"' {
			kend := skipString(obj, i)
			key := obj[i:kend]
			i = skipSpace(obj, kend) // at ':'
			vstart := skipSpace(obj, i+1)
			vend := SkipValue(obj, vstart)
			if !yield(key, obj[vstart:vend]) {
				return
			}
			i = skipSpace(obj, vend)
			if i < len(obj) && obj[i] == ',' {
				i = skipSpace(obj, i+1)
			}
		}
	}
}

// Unquote decodes the JSON string b; ok is false for any other value.
func Unquote(b []byte) (s string, ok bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return string(inner), true
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return "", false
	}
	return s, true
}

// HasEscape reports whether the JSON string b contains an escape sequence.
func HasEscape(b []byte) bool { return bytes.IndexByte(b, '\\') >= 0 }
