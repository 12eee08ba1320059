package schema

import (
	"strings"
)

// sanitizeName turns a Go type name into a component name matching
// ^[a-zA-Z0-9._-]+$, the pattern OpenRPC requires of component keys.
// Package paths in type arguments are dropped and the remaining identifiers
// joined with "_": "Page[example.com/app.User]" becomes "Page_User" and
// "Pair[int,string]" becomes "Pair_int_string". Any other character
// outside the pattern becomes "_".
func sanitizeName(name string) string {
	isIdent := func(r rune) bool {
		return r == '_' || r == '.' || r == '/' || r == '-' || r == '~' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' ||
			r > 0x7f
	}
	var parts []string
	for _, tok := range strings.FieldsFunc(name, func(r rune) bool { return !isIdent(r) }) {
		tok = tok[strings.LastIndexByte(tok, '/')+1:] // drop the package path
		tok = tok[strings.LastIndexByte(tok, '.')+1:] // drop the package name
		if tok != "" {
			parts = append(parts, tok)
		}
	}
	out := strings.Map(func(r rune) rune {
		if r == '_' || r == '.' || r == '-' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' {
			return r
		}
		return '_'
	}, strings.Join(parts, "_"))
	if out == "" {
		return "Type"
	}
	return out
}
