// Package callparams encodes the params of outgoing calls, for the client
// and for the server's calls to WebSocket clients.
package callparams

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// ErrShape is returned (wrapped) by [Encode] for params that do not encode
// as a JSON array or object.
var ErrShape = errors.New("params must encode as a JSON array or object")

// Encode encodes the params of an outgoing call or notification: nil (or a
// value encoding as null, such as a nil pointer) means no params; a
// json.RawMessage is used as it is; anything else is encoded with codec.
// The result must be a JSON array or object, else the error wraps
// [ErrShape].
func Encode(codec schemarpc.Codec, params any) (json.RawMessage, error) {
	var raw []byte
	switch p := params.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		raw = p
	default:
		b, err := codec.Marshal(params)
		if err != nil {
			return nil, err
		}
		raw = b
	}
	trimmed := jsonscan.TrimSpace(raw)
	switch {
	case len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{'):
		return raw, nil
	case string(trimmed) == "null":
		return nil, nil
	}
	return nil, fmt.Errorf("%w, got %.32s", ErrShape, raw)
}
