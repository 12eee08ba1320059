package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/schemarpc/schemarpc"
)

// Method is a typed stub for one remote method, the Go form of aiohttp-rpc's
// rpc.methods.subtract(...): P is the params type (a struct or map for
// params by name, a slice for params by position; use any and pass nil for
// a method without params) and R the result type. Declare stubs once and
// use them with any [Client]:
//
//	var subtract = client.NewMethod[SubtractParams, float64]("subtract")
//
//	diff, err := subtract.Call(ctx, c, SubtractParams{Minuend: 42, Subtrahend: 23})
//
// A Method is an immutable value, safe for concurrent use.
type Method[P, R any] struct {
	name string
}

// NewMethod returns the stub of the remote method name.
func NewMethod[P, R any](name string) Method[P, R] { return Method[P, R]{name: name} }

// Name returns the method's name.
func (m Method[P, R]) Name() string { return m.name }

// Call calls the method on c and returns its result; errors are as for
// [Client.Call].
func (m Method[P, R]) Call(ctx context.Context, c Client, params P) (R, error) {
	var r R
	err := c.Call(ctx, m.name, params, &r)
	return r, err
}

// Notify sends the method as a notification on c.
func (m Method[P, R]) Notify(ctx context.Context, c Client, params P) error {
	return c.Notify(ctx, m.name, params)
}

// Request returns a batch item calling the method; read its outcome with
// [Method.Result].
func (m Method[P, R]) Request(params P) BatchItem {
	return BatchItem{Method: m.name, Params: params}
}

// Notification returns a batch item notifying the method.
func (m Method[P, R]) Notification(params P) BatchItem {
	return BatchItem{Method: m.name, Params: params, Notification: true}
}

// Result decodes the outcome of a batch item built with [Method.Request].
func (m Method[P, R]) Result(r Result) (R, error) { return ResultAs[R](r) }

// RandomUUID returns a string id holding a new random (version 4) UUID, as
// aiohttp-rpc's clients use. Pass it to [WithIDGenerator]. It is safe for
// concurrent use.
func RandomUUID() schemarpc.ID {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand panics rather than fail)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return schemarpc.StringID(string(s[:]))
}
