package schemarpc

import (
	"encoding/json"
	"errors"
	"strconv"

	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// ID is a JSON-RPC request id: a string, a number or null, kept as the exact
// JSON text it was received as so that it can be echoed back byte for byte.
//
// The zero ID is "absent": a request without an id is a notification. IDs are
// comparable and may be used as map keys.
type ID struct {
	raw string // JSON text; "" means absent
}

// NullID is the explicit JSON null id.
var NullID = ID{raw: "null"}

// StringID returns an id holding the JSON string s.
func StringID(s string) ID {
	b, _ := json.Marshal(s) // a Go string always marshals
	return ID{raw: string(b)}
}

// Int64ID returns an id holding the JSON number n.
func Int64ID(n int64) ID { return ID{raw: strconv.FormatInt(n, 10)} }

// ParseID returns the id whose JSON text is raw. raw must be a JSON string,
// a JSON number or null; anything else is an error.
func ParseID(raw []byte) (ID, error) {
	raw = jsonscan.TrimSpace(raw)
	if len(raw) == 0 {
		return ID{}, errors.New("schemarpc: empty id")
	}
	switch c := raw[0]; {
	case c == '"':
		if !json.Valid(raw) {
			return ID{}, errors.New("schemarpc: invalid id string")
		}
	case c == '-' || (c >= '0' && c <= '9'):
		if !jsonscan.IsNumber(raw) {
			return ID{}, errors.New("schemarpc: invalid id number")
		}
	case string(raw) == "null":
	default:
		return ID{}, errors.New("schemarpc: id must be a string, a number or null")
	}
	return ID{raw: string(raw)}, nil
}

// IsZero reports whether the id is absent (the request is a notification).
func (id ID) IsZero() bool { return id.raw == "" }

// IsNull reports whether the id is the JSON null.
func (id ID) IsNull() bool { return id.raw == "null" }

// Raw returns the JSON text of the id ("" when absent).
func (id ID) Raw() string { return id.raw }

// String returns the id for humans: the JSON text, or "<none>" when absent.
func (id ID) String() string {
	if id.raw == "" {
		return "<none>"
	}
	return id.raw
}

// MarshalJSON returns the id's JSON text; an absent id marshals as null.
func (id ID) MarshalJSON() ([]byte, error) {
	if id.raw == "" {
		return []byte("null"), nil
	}
	return []byte(id.raw), nil
}

// UnmarshalJSON accepts a JSON string, number or null.
func (id *ID) UnmarshalJSON(data []byte) error {
	v, err := ParseID(data)
	if err != nil {
		return err
	}
	*id = v
	return nil
}
