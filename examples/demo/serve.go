package demo

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/schemarpc/schemarpc/server"
)

// Mux routes the demo service's endpoints, as `schemarpc serve` and
// `schemarpc-nats serve` offer them: calls (POST and WebSocket) on /rpc, the
// OpenRPC document on GET /openrpc.json, the live docs page on GET /docs,
// and GET / redirecting there.
func Mux(rpc *server.Server) (*http.ServeMux, error) {
	doc, err := rpc.OpenRPCJSON()
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/rpc", rpc)
	mux.HandleFunc("GET /openrpc.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(doc)
	})
	mux.Handle("GET /docs", rpc.DocsHandler("/rpc"))
	mux.Handle("GET /{$}", http.RedirectHandler("/docs", http.StatusFound))
	return mux, nil
}

// Serve serves rpc's [Mux] on ln with the production timeouts of
// [server.NewHTTPServer] until ctx ends, then stops gracefully within
// shutdownWait: rpc drains its calls and WebSocket connections while the
// HTTP server stops accepting. It returns the first error of serving or of
// stopping.
func Serve(ctx context.Context, rpc *server.Server, ln net.Listener, log *slog.Logger, shutdownWait time.Duration) error {
	mux, err := Mux(rpc)
	if err != nil {
		ln.Close()
		return err
	}
	hs := server.NewHTTPServer(mux, ln.Addr().String())
	hs.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownWait)
	defer cancel()
	rpcErr := make(chan error, 1)
	go func() { rpcErr <- rpc.Shutdown(sctx) }()
	httpErr := hs.Shutdown(sctx)
	if err := <-rpcErr; err != nil {
		return err
	}
	if httpErr != nil && !errors.Is(httpErr, http.ErrServerClosed) {
		return httpErr
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
