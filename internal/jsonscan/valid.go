package jsonscan

import (
	"errors"
	"unicode/utf8"
)

// Errors returned by [Check].
var (
	ErrSyntax = errors.New("not valid JSON")
	ErrUTF8   = errors.New("not valid UTF-8")
	ErrDepth  = errors.New("JSON nested too deeply")
)

// DefaultMaxDepth is the nesting limit of encoding/json, which Check uses
// when maxDepth <= 0, so that whatever Check accepts encoding/json can
// decode.
const DefaultMaxDepth = 10000

// Check reports whether b is exactly one JSON value (RFC 8259, surrounding
// whitespace allowed) whose strings are valid UTF-8 and whose arrays and
// objects nest at most maxDepth deep. It returns nil, [ErrSyntax],
// [ErrUTF8] or [ErrDepth]. It does not allocate for depths up to 512 and
// runs several times faster than json.Valid.
func Check(b []byte, maxDepth int) error {
	end, err := CheckValue(b, skipSpace(b, 0), maxDepth)
	if err == nil && skipSpace(b, end) != len(b) {
		return ErrSyntax
	}
	return err
}

// CheckValue checks the JSON value that starts at b[i] as [Check] does,
// and returns the index just past it; what follows is not looked at.
func CheckValue(b []byte, i, maxDepth int) (int, error) {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	var small [512 / 8]byte
	stack := small[:] // bit per level: 1 = object, 0 = array
	depth := 0
	var (
		err      error
		inObject bool // whether the innermost container is an object
	)
value: // read one value; a container pushes a level and reads its first member
	if i >= len(b) {
		return i, ErrSyntax
	}
	if c := b[i]; c == '{' || c == '[' {
		if depth >= maxDepth {
			return i, ErrDepth
		}
		stack = setLevel(stack, depth, c == '{')
		depth++
		i = skipSpace(b, i+1)
		switch {
		case i >= len(b):
			return i, ErrSyntax
		case c == '{' && b[i] == '}', c == '[' && b[i] == ']':
			i++
			depth--
			goto next
		case c == '{':
			goto key
		}
		goto value
	}
	if b[i] == '"' { // the commonest scalar, checked without a call of checkScalar
		i, err = checkString(b, i)
	} else {
		i, err = checkScalar(b, i)
	}
	if err != nil {
		return i, err
	}
next: // after a value: close containers or go on with the next member
	if depth == 0 {
		return i, nil
	}
	i = skipSpace(b, i)
	if i >= len(b) {
		return i, ErrSyntax
	}
	inObject = stack[(depth-1)/8]&(1<<((depth-1)%8)) != 0
	switch b[i] {
	case ',':
		i = skipSpace(b, i+1)
		if inObject {
			goto key
		}
		goto value
	case '}':
		if !inObject {
			return i, ErrSyntax
		}
	case ']':
		if inObject {
			return i, ErrSyntax
		}
	default:
		return i, ErrSyntax
	}
	i++
	depth--
	goto next
key: // an object member's key and colon, then its value
	if i >= len(b) || b[i] != '"' {
		return i, ErrSyntax
	}
	if i, err = checkString(b, i); err != nil {
		return i, err
	}
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return i, ErrSyntax
	}
	i = skipSpace(b, i+1)
	goto value
}

// setLevel records whether nesting level depth is an object, growing stack
// when it is full.
func setLevel(stack []byte, depth int, object bool) []byte {
	if depth/8 >= len(stack) {
		stack = append(stack, make([]byte, len(stack))...)
	}
	if object {
		stack[depth/8] |= 1 << (depth % 8)
	} else {
		stack[depth/8] &^= 1 << (depth % 8)
	}
	return stack
}

// checkScalar checks the literal or number starting at b[i] and returns
// the index just past it.
func checkScalar(b []byte, i int) (int, error) {
	switch b[i] {
	case 't':
		return checkLit(b, i, "true")
	case 'f':
		return checkLit(b, i, "false")
	case 'n':
		return checkLit(b, i, "null")
	}
	if j, ok := checkNumber(b, i); ok {
		return j, nil
	}
	return 0, ErrSyntax
}

func checkLit(b []byte, i int, lit string) (int, error) {
	if !hasLit(b, i, lit) {
		return 0, ErrSyntax
	}
	return i + len(lit), nil
}

func hasLit(b []byte, i int, lit string) bool {
	return len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit
}

// checkString checks the string starting at b[i] and returns the index
// just past it.
func checkString(b []byte, i int) (int, error) {
	i++
	for i < len(b) {
		for i < len(b) && plain[b[i]] {
			i++
		}
		if i >= len(b) {
			break
		}
		c := b[i]
		switch {
		case c == '"':
			return i + 1, nil
		case c == '\\':
			if i+1 >= len(b) {
				return 0, ErrSyntax
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					return 0, ErrSyntax
				}
				for _, h := range b[i+2 : i+6] {
					if !isHex(h) {
						return 0, ErrSyntax
					}
				}
				i += 6
			default:
				return 0, ErrSyntax
			}
		case c < 0x20:
			return 0, ErrSyntax
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && size == 1 {
				return 0, ErrUTF8
			}
			i += size
		}
	}
	return 0, ErrSyntax
}

// plain marks the bytes that stand for themselves inside a string.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// IsNumber reports whether b is exactly one JSON number.
func IsNumber(b []byte) bool {
	end, ok := checkNumber(b, 0)
	return ok && end == len(b)
}

// checkNumber checks the number starting at b[i] and returns the index
// just past it.
func checkNumber(b []byte, i int) (int, bool) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return i, false
	}
	switch {
	case b[i] == '0':
		i++
	case b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		i++
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return i, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		if i == start {
			return i, false
		}
	}
	return i, true
}
