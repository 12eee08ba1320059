package schemarpc

import (
	"encoding/json"
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
