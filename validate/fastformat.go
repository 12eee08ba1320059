package validate

import (
	"net/netip"
	"strings"
)

// Format checkers of the fast path. Each answers true only for strings the
// general validator's checker of the same name accepts, and allocates
// nothing. Each decides exactly the common, strict form of its format (an
// RFC 3339 date-time, a dot-atom email address at a host name, ...); for
// rarer forms the general validator accepts (a quoted local part, an IP
// literal domain, a URI with user info) it answers false, which only means
// that the general validator decides. TestFastFormats holds each to the
// general validator's checker on generated strings, both ways on the forms
// it decides.
var fastFormats = map[string]func(string) bool{
	"date-time":     isFastDateTime,
	"date":          isFastDate,
	"time":          isFastTime,
	"email":         isFastEmail,
	"hostname":      isFastHostname,
	"ipv4":          isFastIPv4,
	"ipv6":          isFastIPv6,
	"uuid":          isFastUUID,
	"uri":           isFastURI,
	"uri-reference": isFastURIReference,
	"json-pointer":  isFastJSONPointer,
}

func digits(s string, n int) (v int, ok bool) {
	if len(s) < n {
		return 0, false
	}
	for i := range n {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// isFastDate: full-date, YYYY-MM-DD with a day that exists.
func isFastDate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	y, ok1 := digits(s, 4)
	m, ok2 := digits(s[5:], 2)
	d, ok3 := digits(s[8:], 2)
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// isFastTime: full-time, hh:mm:ss[.frac](Z|z|±hh:mm), a leap second only at
// 23:59 UTC.
func isFastTime(s string) bool {
	if len(s) < 9 || s[2] != ':' || s[5] != ':' {
		return false
	}
	h, ok1 := digits(s, 2)
	m, ok2 := digits(s[3:], 2)
	sec, ok3 := digits(s[6:], 2)
	if !ok1 || !ok2 || !ok3 || h > 23 || m > 59 || sec > 60 {
		return false
	}
	s = s[8:]
	if s[0] == '.' {
		n := 1
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 1 {
			return false
		}
		s = s[n:]
	}
	switch {
	case s == "Z" || s == "z":
	case len(s) == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':':
		zh, ok1 := digits(s[1:], 2)
		zm, ok2 := digits(s[4:], 2)
		if !ok1 || !ok2 || zh > 23 || zm > 59 {
			return false
		}
		if sec == 60 { // the leap second is at 23:59 UTC
			off := zh*60 + zm
			if s[0] == '+' {
				off = -off
			}
			hm := (h*60 + m + off + 24*60) % (24 * 60)
			h, m = hm/60, hm%60
		}
	default:
		return false
	}
	return sec < 60 || (h == 23 && m == 59)
}

// isFastDateTime: date-time, full-date "T" full-time.
func isFastDateTime(s string) bool {
	return len(s) >= 20 && (s[10] == 'T' || s[10] == 't') && isFastDate(s[:10]) && isFastTime(s[11:])
}

// isFastHostname: labels of 1 to 63 letters, digits and hyphens, not
// starting or ending with a hyphen, at most 253 characters in all; no
// trailing dot.
func isFastHostname(s string) bool {
	if len(s) == 0 || len(s) > 253 {
		return false
	}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i < len(s) && s[i] != '.' {
			c := s[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
			continue
		}
		l := i - start
		if l < 1 || l > 63 || s[start] == '-' || s[i-1] == '-' {
			return false
		}
		start = i + 1
	}
	return true
}

// emailAtext marks the characters of a dot-atom (RFC 5322 atext).
var emailAtext = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-/=?^_`{|}~", byte(c)) >= 0
	}
	return t
}()

// isEmailAtext reports whether c may appear in a dot-atom.
func isEmailAtext(c byte) bool { return emailAtext[c] }

// isFastEmail: a non-empty dot-atom local part of at most 64 characters,
// "@", and a host name domain; at most 254 characters in all.
func isFastEmail(s string) bool {
	if len(s) > 254 {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || at > 64 {
		return false
	}
	local := s[:at]
	if local[0] == '.' || local[at-1] == '.' {
		return false
	}
	for i := range at {
		c := local[i]
		if c == '.' {
			if local[i-1] == '.' {
				return false
			}
			continue
		}
		if !isEmailAtext(c) {
			return false
		}
	}
	return isFastHostname(s[at+1:])
}

// isFastIPv4: four decimals 0-255 without leading zeros.
func isFastIPv4(s string) bool {
	parts := 0
	for len(s) > 0 {
		n := 0
		for n < len(s) && n < 4 && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		if n == 0 || n > 3 || (n > 1 && s[0] == '0') {
			return false
		}
		v, _ := digits(s, n)
		if v > 255 {
			return false
		}
		parts++
		s = s[n:]
		if len(s) > 0 {
			if s[0] != '.' || parts == 4 {
				return false
			}
			s = s[1:]
			if len(s) == 0 {
				return false
			}
		}
	}
	return parts == 4
}

// isFastIPv6: an IPv6 address in hexadecimal colon notation, without zone.
func isFastIPv6(s string) bool {
	if len(s) > 45 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.') {
			return false // no zone, nothing else
		}
	}
	if strings.IndexByte(s, ':') < 0 {
		return false
	}
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && a.Zone() == ""
}

// isFastUUID: 8-4-4-4-12 hexadecimal digits.
func isFastUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// isURIChar reports whether c may appear in a URI's path, query or
// fragment as decided here: unreserved, sub-delims, ":", "@", "/", "?".
func isURIChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// uriRest checks what follows the scheme (or the whole of a relative
// reference): ["//" host [":" port]] path ["?" query] ["#" fragment],
// with a host of letters, digits, ".", "-", "_", "~" (no user info, no IP
// literal), a decimal port, and only the characters of isURIChar or
// percent escapes elsewhere. colonInFirstSegment is false for relative
// references, whose first path segment may not hold a colon.
func uriRest(s string, colonInFirstSegment bool) bool {
	i := 0
	if strings.HasPrefix(s, "//") {
		i = 2
		for i < len(s) && s[i] != '/' && s[i] != '?' && s[i] != '#' && s[i] != ':' {
			c := s[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' || c == '~') {
				return false
			}
			i++
		}
		if i < len(s) && s[i] == ':' {
			i++
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
		}
		if i < len(s) && s[i] != '/' && s[i] != '?' && s[i] != '#' {
			return false
		}
		colonInFirstSegment = true
	}
	hashes := 0
	firstSegment := true
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case c == '#':
			hashes++
			if hashes > 1 {
				return false
			}
			firstSegment = false
		case c == '/' || c == '?':
			firstSegment = false
		case c == ':' && firstSegment && !colonInFirstSegment:
			return false
		case !isURIChar(c):
			return false
		}
	}
	return true
}

// uriScheme returns the length of the scheme at the start of s (0 when
// there is none): a letter, then letters, digits, "+", "-", ".", then ":".
func uriScheme(s string) int {
	for i := range len(s) {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9', c == '+', c == '-', c == '.':
			if i == 0 {
				return 0
			}
		case c == ':':
			return i
		default:
			return 0
		}
	}
	return 0
}

// isFastURI: an absolute URI of the form uriRest decides.
func isFastURI(s string) bool {
	n := uriScheme(s)
	return n > 0 && uriRest(s[n+1:], true)
}

// isFastURIReference: an absolute URI or a relative reference of the form
// uriRest decides.
func isFastURIReference(s string) bool {
	if n := uriScheme(s); n > 0 {
		return uriRest(s[n+1:], true)
	}
	return uriRest(s, false)
}

// isFastJSONPointer: empty, or "/"-prefixed tokens where "~" is followed
// by "0" or "1".
func isFastJSONPointer(s string) bool {
	if s != "" && s[0] != '/' {
		return false
	}
	for i := range len(s) {
		if s[i] == '~' && (i+1 == len(s) || (s[i+1] != '0' && s[i+1] != '1')) {
			return false
		}
	}
	return true
}
