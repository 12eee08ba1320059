// Package printable makes text that came from a peer safe to print on a
// terminal: a misbehaving server's message or body must not move the
// cursor, change colours, set the window title or ring the bell.
package printable

import (
	"strings"
	"unicode/utf8"
)

// String returns s with every terminal escape sequence (CSI such as
// "\x1b[31m", OSC such as "\x1b]0;title\x07", and any other ESC sequence)
// removed, tabs, newlines and carriage returns turned into spaces, every
// other control character (C0, DEL, C1) removed and invalid UTF-8 replaced
// by U+FFFD. It returns s itself when there is nothing to change.
func String(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			i = skipEscape(s, i)
			continue
		case c == '\t' || c == '\n' || c == '\r':
			b.WriteByte(' ')
		case c < 0x20 || c == 0x7f:
		case c < 0x80:
			b.WriteByte(c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			switch {
			case r == utf8.RuneError && size == 1:
				b.WriteRune(utf8.RuneError)
			case r == 0x9b: // C1 CSI: a whole sequence, as ESC [
				i = skipCSI(s, i+size)
				continue
			case r >= 0x80 && r < 0xa0: // other C1 controls
			default:
				b.WriteString(s[i : i+size])
			}
			i += size
			continue
		}
		i++
	}
	return b.String()
}

// Excerpt returns the start of b as one printable line: String's
// cleaning, runs of spaces collapsed to one, trimmed, and cut after max
// runes with "…" appended.
func Excerpt(b []byte, max int) string {
	s := String(string(b))
	var out strings.Builder
	n := 0
	space := false
	for _, r := range strings.TrimSpace(s) {
		if r == ' ' {
			space = true
			continue
		}
		if space {
			if n++; n > max {
				out.WriteString("…")
				return out.String()
			}
			out.WriteByte(' ')
			space = false
		}
		if n++; n > max {
			out.WriteString("…")
			return out.String()
		}
		out.WriteRune(r)
	}
	return out.String()
}

// skipEscape returns the index after the escape sequence that starts with
// the ESC at s[i].
func skipEscape(s string, i int) int {
	i++ // ESC
	if i >= len(s) {
		return i
	}
	switch c := s[i]; {
	case c == '[':
		return skipCSI(s, i+1)
	case c == ']' || c == 'P' || c == '^' || c == '_' || c == 'X':
		// OSC, DCS, PM, APC, SOS: up to BEL or ST (ESC \).
		for i++; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return i
	case c >= 0x20 && c <= 0x2f: // intermediate bytes, then a final byte
		for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
			i++
		}
		if i < len(s) && s[i] >= 0x30 && s[i] <= 0x7e {
			i++
		}
		return i
	case c >= 0x30 && c <= 0x7e: // a two-byte sequence such as ESC c
		return i + 1
	}
	return i
}

// skipCSI returns the index after a control sequence whose parameters
// start at s[i]: parameter and intermediate bytes, then one final byte.
func skipCSI(s string, i int) int {
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x3f {
		i++
	}
	for i < len(s) && s[i] >= 0x20 && s[i] <= 0x2f {
		i++
	}
	if i < len(s) && s[i] >= 0x40 && s[i] <= 0x7e {
		i++
	}
	return i
}
