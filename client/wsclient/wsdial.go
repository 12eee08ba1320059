package wsclient

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/internal/clientcore"
	"github.com/schemarpc/schemarpc/internal/printable"
)

// handshakeContext bounds a WebSocket handshake by the client.WithTimeout
// duration, when one is set: the dialer's own HandshakeTimeout (45 s for
// gorilla's default dialer) is far longer than what a caller who asked for
// a timeout expects.
func (c *Client) handshakeContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.cfg.Timeout > 0 {
		return context.WithTimeout(ctx, c.cfg.Timeout)
	}
	return ctx, func() {}
}

// handshakeTimeout returns the error of a handshake that failed because
// ctx ended: ctxError, or a timeout when the connection's deadline (which
// the dialer takes from ctx) fired just before ctx's own timer did. It
// returns nil for any other failure.
func handshakeTimeout(ctx context.Context, err error) error {
	if cerr := clientcore.CtxError(ctx); cerr != nil {
		return cerr
	}
	if _, ok := ctx.Deadline(); ok && errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("%w: %w", client.ErrTimeout, context.DeadlineExceeded)
	}
	return nil
}

// handshakeError explains a WebSocket handshake that got an HTTP answer
// but no connection: a status other than 101 is an [*client.HTTPStatusError]; a
// 101 whose headers do not complete the handshake says which one is wrong.
func handshakeError(resp *http.Response, err error) error {
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusSwitchingProtocols {
		return fmt.Errorf("%w: websocket handshake: the server answered 101 Switching Protocols, but %s", client.ErrTransport, badUpgrade(resp, err))
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	se := &client.HTTPStatusError{StatusCode: resp.StatusCode, Body: body, ContentType: resp.Header.Get("Content-Type")}
	if msgs, _, derr := schemarpc.Decode(body); derr == nil && len(msgs) == 1 && msgs[0].Response != nil {
		se.Err = msgs[0].Response.Error
	}
	return fmt.Errorf("%w: websocket handshake: %w", client.ErrTransport, se)
}

// maxErrorBody is how much of a refused handshake's body is kept.
const maxErrorBody = 64 << 10

// websocketGUID is the key suffix of RFC 6455, section 1.3.
const websocketGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

// badUpgrade says what is wrong with a 101 answer the dialer refused.
func badUpgrade(resp *http.Response, err error) string {
	h := resp.Header
	switch {
	case !hasToken(h, "Upgrade", "websocket"):
		return "without \"Upgrade: websocket\" (got " + quoteHeader(h, "Upgrade") + ")"
	case !hasToken(h, "Connection", "upgrade"):
		return "without \"Connection: Upgrade\" (got " + quoteHeader(h, "Connection") + ")"
	}
	if resp.Request != nil {
		if key := requestKey(resp.Request.Header); key != "" {
			sum := sha1.Sum([]byte(key + websocketGUID))
			want := base64.StdEncoding.EncodeToString(sum[:])
			if got := h.Get("Sec-WebSocket-Accept"); got != want {
				return "its Sec-WebSocket-Accept " + quoteHeader(h, "Sec-WebSocket-Accept") + " does not match the key sent (want " + want + ")"
			}
		}
	}
	return "the handshake is invalid: " + printable.String(err.Error())
}

// hasToken reports whether a comma-separated header holds token, in any
// case.
func hasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// quoteHeader returns the printable, quoted value of a header, or "none".
func quoteHeader(h http.Header, name string) string {
	vs := h.Values(name)
	if len(vs) == 0 {
		return "none"
	}
	return fmt.Sprintf("%q", printable.String(strings.Join(vs, ", ")))
}

// requestKey returns the Sec-WebSocket-Key a dialer sent. gorilla sets it
// under its RFC spelling, which is not Go's canonical form.
func requestKey(h http.Header) string {
	for _, name := range []string{"Sec-WebSocket-Key", "Sec-Websocket-Key"} {
		if vs := h[name]; len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// handshakeHeader returns the headers of a handshake: those of
// client.WithHeader, with the per-call headers of client.ContextWithHeader
// on ctx replacing them key by key.
func handshakeHeader(ctx context.Context, base http.Header) http.Header {
	extra := clientcore.HeaderFromContext(ctx)
	if len(extra) == 0 {
		return base
	}
	h := base.Clone()
	if h == nil {
		h = http.Header{}
	}
	for k, vs := range extra {
		h[k] = vs // canonical already
	}
	return h
}
