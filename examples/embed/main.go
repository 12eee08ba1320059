// Command embed mounts a schemarpc server in an existing net/http
// application, next to other routes, behind the application's own HTTP
// middlewares:
//
//   - cors answers CORS preflight requests (OPTIONS) itself, so they never
//     reach the RPC handler, and adds Access-Control-Allow-Origin to the
//     answers for allowed origins;
//   - authenticate checks the bearer token of every request, HTTP POST and
//     WebSocket handshake alike, and puts the user in the request context;
//   - inside the RPC server, the RPC middleware requireAdmin reads that user
//     through server.RequestFromContext (aiohttp-rpc's rpc_request) and
//     refuses admin.* methods to non-admins.
//
// The client side shows per-client headers (client.WithHeader), per-call
// headers and deadlines (client.ContextWithHeader, context.WithTimeout: the
// headers and timeout aiohttp-rpc passes to direct_call).
//
// It starts the application on -addr (a free port by default), runs the
// clients against it and prints what each request got (see main_test.go).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// appOrigin is the origin of the web application allowed to call the API
// from a browser.
const appOrigin = "https://app.example"

// User is an authenticated user.
type User struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// tokens are the bearer tokens the application knows.
var tokens = map[string]User{
	"alice-token": {Name: "alice", Role: "user"},
	"root-token":  {Name: "root", Role: "admin"},
}

type userKey struct{}

// userFrom returns the user authenticate stored in the context of r.
func userFrom(r *http.Request) (User, bool) {
	if r == nil {
		return User{}, false
	}
	u, ok := r.Context().Value(userKey{}).(User)
	return u, ok
}

// authenticate is an HTTP middleware: it refuses requests without a known
// bearer token with 401 and stores the user in the context of the others.
func authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		user, known := tokens[token]
		if !ok || !known {
			w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, user)))
	})
}

// cors is an HTTP middleware that answers CORS preflight requests from
// origin and lets browsers read the answers to origin's requests.
func cors(origin string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		o := r.Header.Get("Origin")
		if o != "" && o == origin {
			w.Header().Set("Access-Control-Allow-Origin", origin)
		}
		w.Header().Add("Vary", "Origin")
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			if o != origin {
				http.Error(w, "origin not allowed", http.StatusForbidden)
				return
			}
			h := w.Header()
			h.Set("Access-Control-Allow-Methods", "POST")
			h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// ErrForbidden answers calls the user may not make.
var ErrForbidden = schemarpc.NewError(403, "Forbidden")

// requireAdmin is an RPC middleware: admin.* methods are for admins only.
func requireAdmin(next server.Handler) server.Handler {
	return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
		if strings.HasPrefix(req.Method, "admin.") {
			if u, _ := userFrom(server.RequestFromContext(ctx)); u.Role != "admin" {
				return nil, ErrForbidden
			}
		}
		return next.ServeRPC(ctx, req)
	})
}

// WhoAmI is the result of whoami.
type WhoAmI struct {
	User      string `json:"user"`
	Role      string `json:"role"`
	RequestID string `json:"request_id,omitempty"`
}

// whoami answers who is calling. The HTTP request is the POST of the call,
// or the handshake of a WebSocket connection.
func whoami(ctx context.Context) (WhoAmI, error) {
	r := server.RequestFromContext(ctx)
	u, _ := userFrom(r)
	return WhoAmI{User: u.Name, Role: u.Role, RequestID: r.Header.Get("X-Request-Id")}, nil
}

func stats(context.Context) (map[string]int, error) { return map[string]int{"users": len(tokens)}, nil }

// newApp returns the application: the RPC server on /rpc, behind cors and
// authenticate, next to a health check.
func newApp() (http.Handler, *server.Server) {
	rpc := server.New(
		server.WithMiddlewares(requireAdmin),
		server.WithAllowedOrigins(appOrigin), // WebSocket handshakes from the web application
	)
	rpc.MustAdd(
		server.FuncNoParams("whoami", whoami),
		server.FuncNoParams("admin.stats", stats, server.Errors(ErrForbidden)),
	)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.Handle("/rpc", cors(appOrigin, authenticate(rpc)))
	return mux, rpc
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	flags := flag.NewFlagSet("embed", flag.ContinueOnError)
	addr := flags.String("addr", "127.0.0.1:0", "address to serve on (host:port)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	app, rpc := newApp()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: app, ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		rpc.Shutdown(sctx)
		hs.Shutdown(sctx)
	}()
	base := "http://" + ln.Addr().String()
	hc := &http.Client{Timeout: 5 * time.Second}
	defer hc.CloseIdleConnections()

	// CORS preflights are answered by the mux wrapper.
	for _, origin := range []string{appOrigin, "https://evil.example"} {
		req, err := http.NewRequestWithContext(ctx, http.MethodOptions, base+"/rpc", nil)
		if err != nil {
			return err
		}
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		fmt.Fprintf(stdout, "preflight from %s: %d allow-origin=%q allow-headers=%q\n", origin, resp.StatusCode,
			resp.Header.Get("Access-Control-Allow-Origin"), resp.Header.Get("Access-Control-Allow-Headers"))
	}

	// A browser's call from the web application: the answer carries the
	// CORS header.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/rpc", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"whoami"}`))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer alice-token")
	req.Header.Set("Origin", appOrigin)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "browser call: %d allow-origin=%q %s\n", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), body)

	// Without a token the HTTP middleware refuses the call.
	anon, err := client.NewHTTP(base + "/rpc")
	if err != nil {
		return err
	}
	defer anon.Close()
	err = anon.Call(ctx, "whoami", nil, nil)
	var se *client.HTTPStatusError
	if !errors.As(err, &se) {
		return fmt.Errorf("call without a token: got %v, want an HTTP status error", err)
	}
	fmt.Fprintln(stdout, "no token:", se.StatusCode, http.StatusText(se.StatusCode))

	// A user: the token goes with every request; a request id with one call.
	alice, err := client.NewHTTP(base+"/rpc", client.WithHeader("Authorization", "Bearer alice-token"))
	if err != nil {
		return err
	}
	defer alice.Close()
	callCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	callCtx = client.ContextWithHeader(callCtx, http.Header{"X-Request-Id": {"req-42"}})
	direct, err := alice.DirectCall(callCtx, &schemarpc.Request{ID: schemarpc.StringID("a1"), Method: "whoami"})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "alice whoami:", toJSON(direct))
	err = alice.Call(ctx, "admin.stats", nil, nil)
	fmt.Fprintln(stdout, "alice admin.stats:", err, errors.Is(err, ErrForbidden))

	// An admin over WebSocket: the token goes with the handshake, which the
	// same HTTP middlewares see.
	root, err := wsclient.Dial(ctx, "ws://"+ln.Addr().String()+"/rpc",
		client.WithHeader("Authorization", "Bearer root-token"),
		client.WithHeader("Origin", appOrigin))
	if err != nil {
		return err
	}
	defer root.Close()
	me, err := client.CallAs[WhoAmI](ctx, root, "whoami", nil)
	if err != nil {
		return err
	}
	st, err := client.CallAs[map[string]int](ctx, root, "admin.stats", nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "root over WebSocket: %+v %v\n", me, st)
	return nil
}

// toJSON returns the compact JSON encoding of v.
func toJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	return string(b)
}
