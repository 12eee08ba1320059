package server

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/schemarpc/schemarpc"
)

// Logging returns a middleware that logs every call at debug level (method,
// id, duration) and every failed call at info level with its error code
// (aiohttp-rpc's logging_middleware). Params and results are not logged.
func Logging(log *slog.Logger) Middleware {
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			start := time.Now()
			result, err := next.ServeRPC(ctx, req)
			if err != nil {
				log.InfoContext(ctx, "rpc call failed", "method", req.Method, "id", req.ID.String(),
					"code", int(schemarpc.CodeOf(err)), "duration", time.Since(start))
			} else if log.Enabled(ctx, slog.LevelDebug) {
				log.DebugContext(ctx, "rpc call", "method", req.Method, "id", req.ID.String(), "duration", time.Since(start))
			}
			return result, err
		})
	}
}

// CheckOrigins returns a middleware that refuses calls whose HTTP request
// carries an Origin header not in allowed (aiohttp-rpc's check_origins).
// Calls without an HTTP request or without an Origin header pass. Refused
// calls get -32600 Invalid Request.
func CheckOrigins(allowed ...string) Middleware {
	set := make(map[string]bool, len(allowed))
	for _, a := range allowed {
		set[strings.ToLower(strings.TrimSuffix(a, "/"))] = true
	}
	return func(next Handler) Handler {
		return HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			if r := RequestFromContext(ctx); r != nil {
				if o := r.Header.Get("Origin"); o != "" && !set[strings.ToLower(o)] {
					return nil, schemarpc.ErrInvalidRequest.WithData("origin not allowed")
				}
			}
			return next.ServeRPC(ctx, req)
		})
	}
}
