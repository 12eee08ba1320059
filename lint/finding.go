package lint

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// Severity tells how serious a [Finding] is.
type Severity uint8

// The severities, from the most serious. The zero value is SeverityError.
const (
	// SeverityError: the document breaks the meta-schema of its version
	// or a MUST of the OpenRPC specification (duplicate method or param
	// names, a required param after an optional one, a $ref that names
	// nothing, a schema that does not compile, an invalid pattern), or a
	// payload breaks its method's schemas or has params too complex to
	// check.
	SeverityError Severity = iota
	// SeverityWarning: the document is valid but probably wrong: an
	// example that contradicts its schema, an example too complex to
	// check, an unknown format; or a response result too complex to check.
	SeverityWarning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == SeverityWarning {
		return "warning"
	}
	return "error"
}

// MarshalText encodes s as "error" or "warning".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes "error" or "warning".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = SeverityError
	case "warning":
		*s = SeverityWarning
	default:
		return fmt.Errorf("lint: unknown severity %q: want error or warning", b)
	}
	return nil
}

// A Finding is one problem found in a document or a payload.
type Finding struct {
	// Severity tells whether the finding breaks the specification
	// (SeverityError, the zero value) or is probably a mistake
	// (SeverityWarning).
	Severity Severity `json:"severity"`
	// File names the file the problem is in, as given by the caller
	// (a path, or "-" for standard input).
	File string `json:"file"`
	// Line is the 1-based line at which the offending JSON value starts,
	// or 0 when the file holds a single value or the line is not known.
	Line int `json:"line,omitempty"`
	// Column is the 1-based column of a syntax error, or 0.
	Column int `json:"column,omitempty"`
	// Index is the position of the offending message inside a batch, or
	// -1 when the value is not a batch member.
	Index int `json:"index"`
	// Method names the method concerned, when there is one: the method
	// object a document finding lies in, or the method of a request or
	// response.
	Method string `json:"method,omitempty"`
	// Pointer is the RFC 6901 JSON pointer of the offending value: inside
	// the document for document findings, inside the message for payload
	// findings ("/params/0").
	Pointer string `json:"pointer"`
	// Keyword names the rule that failed: a JSON Schema keyword ("type",
	// "required", "additionalProperties", ...) or one of the checks of this
	// package ("json", "openrpc", "$ref", "uniqueMethodName",
	// "uniqueParamName", "paramOrder", "compile", "example", "method",
	// "jsonrpc", "errors", "read"; "internal" when the checker itself
	// failed on the input, a bug to report).
	Keyword string `json:"keyword"`
	// Message describes the problem for people.
	Message string `json:"message"`
	// Hint suggests a fix, when one is clear.
	Hint string `json:"hint,omitempty"`
}

// Location returns where the finding is: "file", "file:line",
// "file:line:column", "file[index]" or "file:line[index]".
func (f Finding) Location() string {
	var b strings.Builder
	b.WriteString(f.File)
	if f.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(f.Line))
		if f.Column > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(f.Column))
		}
	}
	if f.Index >= 0 {
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(f.Index))
		b.WriteByte(']')
	}
	return b.String()
}

// String formats the finding on one line, without its severity:
//
//	LOCATION: [method NAME: ][POINTER: ]KEYWORD: MESSAGE[ (hint: HINT)]
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Location())
	b.WriteString(": ")
	if f.Method != "" {
		fmt.Fprintf(&b, "method %s: ", f.Method)
	}
	if f.Pointer != "" {
		b.WriteString(f.Pointer)
		b.WriteString(": ")
	}
	b.WriteString(f.Keyword)
	b.WriteString(": ")
	b.WriteString(f.Message)
	if f.Hint != "" {
		b.WriteString(" (hint: ")
		b.WriteString(f.Hint)
		b.WriteByte(')')
	}
	return b.String()
}

// compareFindings orders document findings by file, then pointer, then
// keyword, so that reports are stable.
func compareFindings(a, b Finding) int {
	return cmp.Or(
		strings.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		comparePointers(a.Pointer, b.Pointer),
		strings.Compare(a.Keyword, b.Keyword),
		strings.Compare(a.Message, b.Message),
	)
}

// comparePointers orders JSON pointers token by token, numeric tokens by
// value, so that /methods/10 follows /methods/9.
func comparePointers(a, b string) int {
	ta, tb := strings.Split(a, "/"), strings.Split(b, "/")
	for i := 0; i < len(ta) && i < len(tb); i++ {
		if ta[i] == tb[i] {
			continue
		}
		na, ea := strconv.Atoi(ta[i])
		nb, eb := strconv.Atoi(tb[i])
		if ea == nil && eb == nil {
			return cmp.Compare(na, nb)
		}
		return strings.Compare(ta[i], tb[i])
	}
	return cmp.Compare(len(ta), len(tb))
}
