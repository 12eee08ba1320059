package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client/internal/clientcore"
)

// maxErrorBody is how much of an unexpected HTTP answer is kept.
const maxErrorBody = 64 << 10

// HTTPClient calls a JSON-RPC server over HTTP POST: one request per call,
// notification or batch. It is safe for concurrent use.
type HTTPClient struct {
	caller
	url     string
	hc      *http.Client
	ownHC   bool
	closed  atomic.Bool
	headers http.Header
}

// NewHTTP returns a client posting to rawURL, an http:// or https:// URL.
// No connection is made until the first call.
func NewHTTP(rawURL string, opts ...Option) (*HTTPClient, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("client: NewHTTP needs an http or https URL, got %q", rawURL)
	}
	cfg := settings(opts)
	if err := checkTransport(cfg, clientcore.HTTP); err != nil {
		return nil, err
	}
	c := &HTTPClient{url: rawURL, hc: cfg.HTTPClient}
	if c.hc == nil {
		c.hc = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		c.ownHC = true
	}
	c.headers = cfg.Header.Clone()
	c.headers.Set("Content-Type", "application/json")
	c.headers.Set("Accept", "application/json")
	c.caller.init(cfg, InvokerFunc(c.roundTrip))
	return c, nil
}

// URL returns the endpoint the client posts to.
func (c *HTTPClient) URL() string { return c.url }

// Close makes later calls fail with [ErrClosed] and closes the idle
// connections of the client's own http.Client (one given with
// [WithHTTPClient] is left alone). Calls in flight are not interrupted.
// Close is idempotent and safe for concurrent use.
func (c *HTTPClient) Close() error {
	if c.closed.CompareAndSwap(false, true) && c.ownHC {
		c.hc.CloseIdleConnections()
	}
	return nil
}

// roundTrip is the transport: one POST per payload.
func (c *HTTPClient) roundTrip(ctx context.Context, reqs []*schemarpc.Request, batch bool) ([]*schemarpc.Response, error) {
	if c.closed.Load() {
		return nil, fmt.Errorf("%w: %w", ErrTransport, ErrClosed)
	}
	body, err := encodePayload(reqs, batch)
	if err != nil {
		return nil, err
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	hreq.Header = c.headers.Clone()
	for k, vs := range headerFromContext(ctx) {
		hreq.Header[k] = vs // canonical already
	}
	hresp, err := c.hc.Do(hreq)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	defer hresp.Body.Close()
	switch hresp.StatusCode {
	case http.StatusOK, http.StatusNoContent:
	default:
		data, _ := io.ReadAll(io.LimitReader(hresp.Body, maxErrorBody))
		se := &HTTPStatusError{StatusCode: hresp.StatusCode, Body: data, ContentType: hresp.Header.Get("Content-Type")}
		if msgs, _, derr := schemarpc.Decode(data); derr == nil && len(msgs) == 1 && msgs[0].Response != nil {
			se.Err = msgs[0].Response.Error
		}
		return nil, se
	}
	data, err := readBody(hresp, c.cfg.ReadLimit)
	if err != nil {
		return nil, transportError(ctx, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil // 204, or no answer: the caller decides
	}
	resps, err := decodeResponses(data, batch)
	var ire *InvalidResponseError
	if errors.As(err, &ire) {
		ire.StatusCode, ire.ContentType = hresp.StatusCode, hresp.Header.Get("Content-Type")
	}
	return resps, err
}

// readBody reads an answer of at most limit bytes (limit <= 0: any size).
func readBody(r *http.Response, limit int64) ([]byte, error) {
	if limit > 0 && r.ContentLength > limit {
		return nil, fmt.Errorf("answer of %d bytes is over the read limit of %d", r.ContentLength, limit)
	}
	if r.ContentLength > 0 {
		buf := make([]byte, r.ContentLength)
		_, err := io.ReadFull(r.Body, buf)
		return buf, err
	}
	body := io.Reader(r.Body)
	if limit > 0 {
		body = io.LimitReader(r.Body, limit+1)
	}
	data, err := io.ReadAll(body)
	if err == nil && limit > 0 && int64(len(data)) > limit {
		return nil, fmt.Errorf("answer is over the read limit of %d bytes", limit)
	}
	return data, err
}

// decodeResponses decodes an answer: one response, or an array of them
// when batch is set. Anything else is an *InvalidResponseError that says
// what came back.
func decodeResponses(data []byte, batch bool) ([]*schemarpc.Response, error) {
	invalid := func(reason string) error {
		if len(data) > maxErrorBody {
			data = data[:maxErrorBody]
		}
		return &InvalidResponseError{Reason: reason, Body: data}
	}
	msgs, isBatch, derr := schemarpc.Decode(data)
	if derr != nil {
		switch {
		case derr.Code == schemarpc.CodeParseError:
			return nil, invalid("not JSON")
		case isBatch:
			return nil, invalid("an empty JSON array")
		}
		return nil, invalid("not a JSON object or array")
	}
	if isBatch && !batch {
		return nil, invalid("a JSON array (batch) in reply to a single request")
	}
	out := make([]*schemarpc.Response, len(msgs))
	for i, m := range msgs {
		if m.Response == nil {
			if m.Request != nil {
				return nil, invalid("a request (method " + strconv.Quote(m.Request.Method) + "), not a response")
			}
			return nil, invalid(responseProblem(m.Err))
		}
		out[i] = m.Response
	}
	return out, nil
}

// responseProblem words, for a response, what the decoder (whose words
// are for requests) found wrong with a message.
func responseProblem(e *schemarpc.Error) string {
	if e == nil {
		return "not a response"
	}
	msg, _ := e.Data.(string)
	switch msg {
	case "":
		return "not a response"
	case `a request must have a "method"`:
		// No method, no result, no error.
		return `a response must have a "result" or an "error"`
	case "a batch member must be an object":
		return "an array member is not an object"
	}
	return msg
}
