package main

import (
	"context"
	"strings"

	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
)

// dial returns a client for url: over WebSocket for ws:// and wss://, over
// HTTP for anything else (NewHTTP refuses what is not http:// or https://).
// ctx bounds the WebSocket handshake.
func dial(ctx context.Context, url string, opts ...client.Option) (client.Client, error) {
	if strings.HasPrefix(url, "ws://") || strings.HasPrefix(url, "wss://") {
		return wsclient.Dial(ctx, url, opts...)
	}
	return client.NewHTTP(url, opts...)
}
