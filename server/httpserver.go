package server

import (
	"net/http"
	"time"
)

// Timeouts of the http.Server returned by [NewHTTPServer]. They bound how
// long a slow or idle client can hold a connection and its goroutine;
// WebSocket connections are exempt once upgraded (their frames are bounded
// by WithReadLimit, WithPingInterval, WithPongWait and WithWriteTimeout).
const (
	// DefaultReadHeaderTimeout is how long a client may take to send the
	// request headers; it cuts a slowloris that sends a byte at a time.
	DefaultReadHeaderTimeout = 5 * time.Second
	// DefaultReadTimeout is how long a client may take to send a whole
	// request, headers and body.
	DefaultReadTimeout = 30 * time.Second
	// DefaultWriteTimeout is how long serving a request and writing its
	// answer may take; keep WithCallTimeout below it.
	DefaultWriteTimeout = 30 * time.Second
	// DefaultIdleTimeout is how long a kept-alive connection may wait for
	// its next request.
	DefaultIdleTimeout = 120 * time.Second
	// DefaultMaxHeaderBytes is the largest request header block read.
	DefaultMaxHeaderBytes = 64 << 10
)

// NewHTTPServer returns an http.Server for handler (typically a [Server],
// or a mux holding one) on addr with production timeouts:
// DefaultReadHeaderTimeout, DefaultReadTimeout, DefaultWriteTimeout,
// DefaultIdleTimeout and DefaultMaxHeaderBytes. The zero http.Server has
// no timeouts at all, so that one slow client can hold a goroutine forever.
// Change the fields before serving to tune them. Shut it down together
// with the [Server]: http.Server.Shutdown does not track WebSocket
// connections, Server.Shutdown does.
func NewHTTPServer(handler http.Handler, addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           handler,
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		ReadTimeout:       DefaultReadTimeout,
		WriteTimeout:      DefaultWriteTimeout,
		IdleTimeout:       DefaultIdleTimeout,
		MaxHeaderBytes:    DefaultMaxHeaderBytes,
	}
}
