package openrpcdiff

import (
	"fmt"
	"strings"
)

// Severity tells how a change affects the callers of the old document.
type Severity uint8

// The severities, from the least serious.
const (
	// Info: a change that no caller of the old document notices (a
	// method added, a param schema widened, a description changed).
	Info Severity = iota
	// Warning: a change that breaks some callers (strict ones, or those
	// relying on something the document did not promise), or that diff
	// cannot judge (a pattern changed).
	Warning
	// Breaking: a change that makes calls valid under the old document
	// fail, or results a client of the old document cannot read.
	Breaking
)

// String returns "info", "warning" or "breaking".
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Breaking:
		return "breaking"
	}
	return "info"
}

// MarshalText encodes s as its name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes "info", "warning" or "breaking".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "info":
		*s = Info
	case "warning":
		*s = Warning
	case "breaking":
		*s = Breaking
	default:
		return fmt.Errorf("openrpcdiff: unknown severity %q: want breaking, warning or info", b)
	}
	return nil
}

// A Location is where a value lies in a document set: a JSON pointer in
// the main document, or in another file a reference reached.
type Location struct {
	// File is the other file, relative to the document's directory, or
	// "" for the document itself.
	File string `json:"file,omitempty"`
	// Pointer is the RFC 6901 JSON pointer of the value.
	Pointer string `json:"pointer"`
	// Line is the 1-based line on which the value starts in the document,
	// or the value that would hold it when it is absent there (0 when the
	// location is in another file).
	Line int `json:"line,omitempty"`
	// Column is the 1-based column (in characters) of that value on its
	// line, or 0 with Line.
	Column int `json:"column,omitempty"`
}

// String returns the pointer, prefixed with "FILE#" for another file.
func (l Location) String() string {
	if l.File == "" {
		return l.Pointer
	}
	return l.File + "#" + l.Pointer
}

// A Finding is one change between the old and the new document.
type Finding struct {
	// Severity is how the change affects callers of the old document.
	Severity Severity `json:"severity"`
	// Kind is the stable identifier of the rule (see the package
	// documentation), such as "method-removed".
	Kind string `json:"kind"`
	// Method names the method concerned ("" for none).
	Method string `json:"method,omitempty"`
	// Path locates the change inside the method for people:
	// `param "filter".address[]`, `result.oneOf[1].hash`.
	Path string `json:"path,omitempty"`
	// Old and New are where the change lies in each document. When the
	// thing is absent from one side, its location there is the container
	// it would be in (the "methods" array for an added method).
	Old Location `json:"old"`
	New Location `json:"new"`
	// Message describes the change in a sentence.
	Message string `json:"message"`
	// Ignored holds the reason of the ignore-file entry that accepts
	// this change, or "".
	Ignored string `json:"ignored,omitempty"`
}

// String formats the finding on one line:
//
//	SEVERITY: [method NAME: ]KIND: [PATH: ]MESSAGE (old POINTER, new POINTER)
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Severity.String())
	b.WriteString(": ")
	if f.Method != "" {
		fmt.Fprintf(&b, "method %s: ", f.Method)
	}
	b.WriteString(f.Kind)
	b.WriteString(": ")
	if f.Path != "" {
		b.WriteString(f.Path)
		b.WriteString(": ")
	}
	b.WriteString(f.Message)
	fmt.Fprintf(&b, " (old %s, new %s)", orRoot(f.Old), orRoot(f.New))
	return b.String()
}

func orRoot(l Location) string {
	if s := l.String(); s != "" {
		return s
	}
	return "/"
}
