package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"
)

// Version is the OpenRPC specification version this package models and
// writes into [Document.OpenRPC] by convention.
const Version = "1.3.2"

// Values of [Method.ParamStructure] (OpenRPC 1.3.2, Method Object
// "paramStructure").
const (
	ParamStructureByName     = "by-name"
	ParamStructureByPosition = "by-position"
	ParamStructureEither     = "either"
)

// Document is the root object of an OpenRPC document (OpenRPC 1.3.2,
// OpenRPC Object).
type Document struct {
	// OpenRPC is the semantic version of the OpenRPC specification the
	// document uses, such as [Version].
	OpenRPC string `json:"openrpc"`
	// Info is metadata about the API.
	Info Info `json:"info"`
	// Servers lists the servers that expose the API.
	Servers []Server `json:"servers,omitempty"`
	// Methods lists the methods of the API in the order the caller chose.
	// It is always written, as [] when empty.
	Methods []*Method `json:"methods"`
	// Components holds schemas that the rest of the document references.
	Components *Components `json:"components,omitempty"`
}

// MarshalJSON encodes d, writing "methods" as [] rather than null when
// there are none: the field is required by the specification.
func (d Document) MarshalJSON() ([]byte, error) {
	type document Document // drops the method set
	if d.Methods == nil {
		d.Methods = []*Method{}
	}
	return marshalNoEscape(document(d))
}

// Info is metadata about the API (OpenRPC 1.3.2, Info Object).
type Info struct {
	// Title is the title of the application.
	Title string `json:"title"`
	// Description is a verbose description of the application.
	Description string `json:"description,omitempty"`
	// TermsOfService is a URL to the terms of service of the API.
	TermsOfService string `json:"termsOfService,omitempty"`
	// Contact is the contact information for the API.
	Contact *Contact `json:"contact,omitempty"`
	// License is the license information for the API.
	License *License `json:"license,omitempty"`
	// Version is the version of the API (not of the OpenRPC specification).
	Version string `json:"version"`
}

// Contact is contact information for the API (OpenRPC 1.3.2,
// Contact Object).
type Contact struct {
	// Name identifies the contact person or organisation.
	Name string `json:"name,omitempty"`
	// URL points to the contact information.
	URL string `json:"url,omitempty"`
	// Email is the contact's email address.
	Email string `json:"email,omitempty"`
}

// License is license information for the API (OpenRPC 1.3.2,
// License Object).
type License struct {
	// Name is the license name.
	Name string `json:"name"`
	// URL points to the license text.
	URL string `json:"url,omitempty"`
}

// Server describes a server that exposes the API (OpenRPC 1.3.2,
// Server Object).
type Server struct {
	// Name is a name for the server.
	Name string `json:"name,omitempty"`
	// URL is the server's URL.
	URL string `json:"url"`
	// Summary is a short summary of what the server is.
	Summary string `json:"summary,omitempty"`
	// Description describes the server.
	Description string `json:"description,omitempty"`
}

// Tag groups methods (OpenRPC 1.3.2, Tag Object).
type Tag struct {
	// Name is the name of the tag.
	Name string `json:"name"`
	// Description is a verbose explanation of the tag.
	Description string `json:"description,omitempty"`
}

// Method describes one RPC method (OpenRPC 1.3.2, Method Object).
type Method struct {
	// Name is the canonical method name; it is unique within a document.
	Name string `json:"name"`
	// Summary is a short summary of what the method does.
	Summary string `json:"summary,omitempty"`
	// Description is a verbose explanation of the method.
	Description string `json:"description,omitempty"`
	// Tags groups the method for documentation tools.
	Tags []Tag `json:"tags,omitempty"`
	// ParamStructure is one of the ParamStructure* constants; empty means
	// the specification's default, "either".
	ParamStructure string `json:"paramStructure,omitempty"`
	// Params lists the parameters in positional order. It is always
	// written, as [] when the method takes none.
	Params []*ContentDescriptor `json:"params"`
	// Result describes the result; nil for a method without one.
	Result *ContentDescriptor `json:"result,omitempty"`
	// Errors lists the application errors the method may return.
	Errors []*ErrorObject `json:"errors,omitempty"`
	// Examples pairs example params with example results.
	Examples []*ExamplePairing `json:"examples,omitempty"`
	// Deprecated marks the method as deprecated.
	Deprecated bool `json:"deprecated,omitempty"`
	// Extensions holds specification extensions (OpenRPC 1.3.2,
	// Specification Extensions). They are written inline in key order;
	// every key must begin with "x-".
	Extensions map[string]any `json:"-"`
}

// MarshalJSON encodes m with "params" always present and its
// [Method.Extensions] inlined as x-* members. It fails if an extension key
// does not begin with "x-".
func (m Method) MarshalJSON() ([]byte, error) {
	type method Method // drops the method set
	if m.Params == nil {
		m.Params = []*ContentDescriptor{}
	}
	b, err := marshalNoEscape(method(m))
	if err != nil || len(m.Extensions) == 0 {
		return b, err
	}
	keys := make([]string, 0, len(m.Extensions))
	for k := range m.Extensions {
		if !strings.HasPrefix(k, "x-") {
			return nil, fmt.Errorf("schema: method %q: extension key %q does not begin with \"x-\"", m.Name, k)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var buf bytes.Buffer
	buf.Grow(len(b) + 32*len(keys))
	buf.Write(b[:len(b)-1]) // drop the closing brace
	for _, k := range keys {
		kb, err := marshalNoEscape(k)
		if err != nil {
			return nil, err
		}
		vb, err := marshalNoEscape(m.Extensions[k])
		if err != nil {
			return nil, fmt.Errorf("schema: method %q: extension %q: %w", m.Name, k, err)
		}
		buf.WriteByte(',')
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// UnmarshalJSON decodes m, collecting every x-* member into
// [Method.Extensions].
func (m *Method) UnmarshalJSON(data []byte) error {
	type method Method // drops the method set
	var plain method
	if err := json.Unmarshal(data, &plain); err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	for k, raw := range members {
		if !strings.HasPrefix(k, "x-") {
			continue
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if plain.Extensions == nil {
			plain.Extensions = make(map[string]any)
		}
		plain.Extensions[k] = v
	}
	*m = Method(plain)
	return nil
}

// ContentDescriptor describes a parameter or a result (OpenRPC 1.3.2,
// Content Descriptor Object).
type ContentDescriptor struct {
	// Name is the name of the content; for a parameter it is the by-name key.
	Name string `json:"name"`
	// Summary is a short summary of the content.
	Summary string `json:"summary,omitempty"`
	// Description is a verbose explanation of the content.
	Description string `json:"description,omitempty"`
	// Required reports whether the content must be present.
	Required bool `json:"required,omitempty"`
	// Schema is the JSON Schema the content conforms to.
	Schema *jsonschema.Schema `json:"schema"`
	// Deprecated marks the content as deprecated.
	Deprecated bool `json:"deprecated,omitempty"`
}

// ErrorObject describes an application-defined error (OpenRPC 1.3.2,
// Error Object).
type ErrorObject struct {
	// Code is the JSON-RPC error code.
	Code int `json:"code"`
	// Message is a short description of the error.
	Message string `json:"message"`
	// Data is additional information about the error.
	Data any `json:"data,omitempty"`
}

// ExamplePairing pairs example params with an example result (OpenRPC 1.3.2,
// Example Pairing Object).
type ExamplePairing struct {
	// Name is the name of the pairing.
	Name string `json:"name"`
	// Description is a verbose explanation of the pairing.
	Description string `json:"description,omitempty"`
	// Params lists example parameters. It is always written, as [] when
	// empty.
	Params []*Example `json:"params"`
	// Result is the example result.
	Result *Example `json:"result,omitempty"`
}

// MarshalJSON encodes p with "params" always present.
func (p ExamplePairing) MarshalJSON() ([]byte, error) {
	type pairing ExamplePairing // drops the method set
	if p.Params == nil {
		p.Params = []*Example{}
	}
	return marshalNoEscape(pairing(p))
}

// Example is one example value (OpenRPC 1.3.2, Example Object).
// Its "value" member is always written, as null when Value is nil.
type Example struct {
	// Name is the name of the example (the parameter name for params).
	Name string `json:"name"`
	// Summary is a short summary of the example.
	Summary string `json:"summary,omitempty"`
	// Description is a verbose explanation of the example.
	Description string `json:"description,omitempty"`
	// Value is the example value.
	Value any `json:"value"`
}

// Components holds reusable objects that the document references
// (OpenRPC 1.3.2, Components Object).
type Components struct {
	// Schemas maps component names to schemas; references take the form
	// "#/components/schemas/Name".
	Schemas map[string]*jsonschema.Schema `json:"schemas,omitempty"`
}

// Marshal encodes doc as indented JSON (two spaces, trailing newline)
// without HTML escaping. The output is deterministic: map keys are sorted
// and slices keep the caller's order.
func Marshal(doc *Document) ([]byte, error) {
	if doc == nil {
		return nil, fmt.Errorf("schema: Marshal of nil *Document")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// marshalNoEscape is json.Marshal without HTML escaping, so that custom
// MarshalJSON methods agree with [Marshal].
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
