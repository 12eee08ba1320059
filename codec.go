package schemarpc

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// Codec encodes params and results into JSON and decodes them from it. It
// lets a program use a custom serializer (aiohttp-rpc's json_serialize and
// json_deserialize), for example one that writes time.Time as Unix seconds.
// The JSON-RPC envelope itself is always encoded by this package. A Codec
// must be safe for concurrent use.
type Codec interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

// JSONCodec is the default [Codec]: encoding/json.
type JSONCodec struct{}

// Marshal encodes v with json.Marshal.
func (JSONCodec) Marshal(v any) ([]byte, error) { return json.Marshal(v) }

// Unmarshal decodes data with json.Unmarshal.
func (JSONCodec) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// ErrParamsShape is returned (wrapped) by [EncodeParams] for params that do
// not encode as a JSON array or object.
var ErrParamsShape = errors.New("params must encode as a JSON array or object")

// EncodeParams encodes the params of an outgoing call or notification: nil
// (or a value encoding as null, such as a nil pointer) means no params; a
// json.RawMessage is used as it is; anything else is encoded with codec.
// The result must be a JSON array or object, else the error wraps
// [ErrParamsShape].
func EncodeParams(codec Codec, params any) (json.RawMessage, error) {
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
	return nil, fmt.Errorf("%w, got %.32s", ErrParamsShape, raw)
}
