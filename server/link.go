package server

import (
	"github.com/schemarpc/schemarpc/internal/serverlink"
	"github.com/schemarpc/schemarpc/internal/wspeer"
)

// The WebSocket client (package client/wsclient) serves its methods with
// the handler of the server's own connections.
func init() {
	serverlink.PeerHandler = func(srv any) wspeer.Handler { return connHandler{srv.(*Server)} }
}
