// Package serverlink hands the dispatch core of package server to package
// client/wsclient, whose WebSocket client serves methods with it, without
// making that core part of server's API. Package server fills it in when it
// is initialised; any package that imports server may then use it.
package serverlink

import "github.com/schemarpc/schemarpc/internal/wspeer"

// PeerHandler returns the handler that answers the requests of a WebSocket
// connection with the registry, validation, middlewares and batching of
// srv, a *server.Server. It is set by package server.
var PeerHandler func(srv any) wspeer.Handler
