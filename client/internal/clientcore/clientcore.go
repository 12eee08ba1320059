// Package clientcore holds the settings that client options set. It lets
// package client/wsclient accept the options of package client (one Option
// type for every transport) without making the settings part of the public
// API: a type of an internal package can be named only inside the module.
package clientcore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/schemarpc/schemarpc"
)

// Invoker has the method set of client.Invoker, so that the two are
// assignable to each other.
type Invoker interface {
	Invoke(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error)
}

// Middleware is a client.Middleware seen through Invoker.
type Middleware func(next Invoker) Invoker

// Transport names the transport a client is built for. Options that
// configure one transport only are refused by the constructors of the
// others.
type Transport int

// The transports.
const (
	AnyTransport Transport = iota // client.New: the caller gives the transport
	HTTP                          // client.NewHTTP
	WebSocket                     // wsclient.Dial
)

// Settings is what the options of a client set.
type Settings struct {
	Header      http.Header
	Timeout     time.Duration
	IDs         func() schemarpc.ID
	Codec       schemarpc.Codec
	Middlewares []Middleware
	ErrorMap    map[schemarpc.Code]func(*schemarpc.Error) error
	Logger      *slog.Logger
	ReadLimit   int64

	// For one transport only.
	HTTPClient *http.Client // client.WithHTTPClient
	WebSocket  []any        // options of package wsclient, applied there
	// For names the transport being built; set by wsclient.Dial so that
	// client.New accepts the WebSocket options.
	For Transport
}

// DefaultReadLimit is client.DefaultReadLimit.
const DefaultReadLimit = 16 << 20

// Defaults returns the settings before any option.
func Defaults() Settings {
	return Settings{
		Header:    http.Header{},
		Codec:     schemarpc.JSONCodec{},
		Logger:    slog.New(slog.DiscardHandler),
		ReadLimit: DefaultReadLimit,
	}
}

// ErrTimeout is client.ErrTimeout.
var ErrTimeout = errors.New("client: timeout")

// ErrEmptyBatch is returned for a batch without items.
var ErrEmptyBatch = errors.New("client: empty batch")

// EncodePayload encodes one request, or a batch.
func EncodePayload(reqs []*schemarpc.Request, batch bool) ([]byte, error) {
	if !batch {
		if len(reqs) != 1 {
			return nil, fmt.Errorf("client: a payload that is not a batch must hold one request, not %d", len(reqs))
		}
		return reqs[0].AppendJSON(make([]byte, 0, 64+len(reqs[0].Params)))
	}
	if len(reqs) == 0 {
		return nil, ErrEmptyBatch
	}
	size := 2
	for _, r := range reqs {
		size += 64 + len(r.Params)
	}
	buf := make([]byte, 0, size)
	buf = append(buf, '[')
	for i, r := range reqs {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = r.AppendJSON(buf); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

// CtxError turns the end of ctx into the error a call returns: a deadline
// wraps both ErrTimeout and context.DeadlineExceeded; a cancellation is
// context.Canceled (or the cancel cause). It returns nil while ctx is live.
func CtxError(ctx context.Context) error {
	err := ctx.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%w: %w", ErrTimeout, err)
	}
	if cause := context.Cause(ctx); cause != nil && cause != err {
		return fmt.Errorf("%w: %w", err, cause)
	}
	return err
}

// HeaderKey is the context key of client.ContextWithHeader: the per-call
// HTTP headers, an http.Header.
type HeaderKey struct{}

// HeaderFromContext returns the headers of client.ContextWithHeader, or nil.
func HeaderFromContext(ctx context.Context) http.Header {
	h, _ := ctx.Value(HeaderKey{}).(http.Header)
	return h
}
