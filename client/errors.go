package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client/internal/clientcore"
	"github.com/schemarpc/schemarpc/internal/printable"
)

// Client-side failures. They follow aiohttp-rpc's client exceptions; test
// for them with errors.Is. A server's error answer is never one of these: it
// comes back as a *schemarpc.Error (or the error the [WithErrorMap] function
// for its code returns).
var (
	// ErrEmptyResponse reports a call the server did not answer: an empty
	// HTTP body or 204 No Content where a response was expected, or a batch
	// member whose id no response carried.
	ErrEmptyResponse = errors.New("client: empty response")

	// ErrTimeout reports a call whose context deadline passed, whether set
	// by the caller or by [WithTimeout]. The error also wraps
	// context.DeadlineExceeded, so errors.Is works with either.
	ErrTimeout = clientcore.ErrTimeout

	// ErrTransport reports that the request could not be sent or its answer
	// not received: connection refused, reset or closed, DNS failure. When a
	// WebSocket connection is lost the error also wraps
	// [schemarpc.ErrConnClosed].
	ErrTransport = errors.New("client: transport error")

	// ErrInvalidResponse reports an answer that is not valid JSON-RPC 2.0:
	// not JSON, holding something other than responses, or a batch in reply
	// to a single request. Over HTTP the error is an
	// [*InvalidResponseError] that says what came back.
	ErrInvalidResponse = errors.New("client: invalid response")

	// ErrClosed is returned, wrapped together with [ErrTransport], by calls
	// made after Close. For a WebSocket client the error also wraps
	// [schemarpc.ErrConnClosed].
	ErrClosed = errors.New("client: closed")
)

// HTTPStatusError reports an HTTP answer whose status is neither 200 OK nor
// 204 No Content (the server's answer to notifications). It is not
// modified once returned, so it may be read from any goroutine.
//
// A schemarpc server answers such statuses (405, 413, 415, 503) with a
// JSON-RPC error body; Err then holds it decoded, and errors.As and errors.Is
// see through the HTTPStatusError to it:
//
//	var se *client.HTTPStatusError // StatusCode 413
//	var re *schemarpc.Error        // -32600 Invalid Request
//	errors.As(err, &se) && errors.As(err, &re) // both true
type HTTPStatusError struct {
	// StatusCode is the HTTP status code.
	StatusCode int
	// Body is the response body as received (possibly truncated to 64 KiB).
	Body []byte
	// ContentType is the Content-Type of the answer, "" when it had none.
	ContentType string
	// Err is the JSON-RPC error the body holds, or nil when it holds none.
	Err *schemarpc.Error
}

// Error implements the error interface. Without a JSON-RPC error in the
// body, it says what came back instead: the content type and a short
// excerpt of the body, stripped of control characters.
func (e *HTTPStatusError) Error() string {
	msg := fmt.Sprintf("client: unexpected HTTP status %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Err != nil {
		return msg + ": " + printable.String(e.Err.Error())
	}
	return msg + describeBody(e.ContentType, e.Body)
}

// InvalidResponseError reports an answer that is not valid JSON-RPC 2.0
// and says what came back. errors.Is(err, [ErrInvalidResponse]) is true for
// it. It never wraps a *schemarpc.Error: nothing in such an answer is the
// server's error answer.
type InvalidResponseError struct {
	// StatusCode is the HTTP status of the answer; 0 over WebSocket.
	StatusCode int
	// ContentType is the Content-Type of the HTTP answer, "" when it had
	// none (and over WebSocket).
	ContentType string
	// Reason says what is wrong, such as "not JSON".
	Reason string
	// Body is the start of the answer as received (at most 64 KiB).
	Body []byte
}

// Error implements the error interface: the reason, the status and content
// type, and a short excerpt of the body stripped of control characters.
func (e *InvalidResponseError) Error() string {
	msg := "client: invalid response: " + e.Reason
	if e.StatusCode != 0 {
		msg += " (HTTP " + strconv.Itoa(e.StatusCode) + ")"
	}
	return msg + describeBody(e.ContentType, e.Body)
}

// Is reports whether target is [ErrInvalidResponse].
func (e *InvalidResponseError) Is(target error) bool { return target == ErrInvalidResponse }

// excerptRunes is how much of a body an error message quotes.
const excerptRunes = 80

// describeBody says what an unexpected answer held: its content type and a
// short, printable excerpt.
func describeBody(contentType string, body []byte) string {
	ct := "no Content-Type"
	if contentType != "" {
		ct = "Content-Type " + strconv.Quote(printable.String(contentType))
	}
	if len(body) == 0 {
		return ", " + ct + ", empty body"
	}
	return ", " + ct + ", body: " + printable.Excerpt(body, excerptRunes)
}

// Unwrap returns the JSON-RPC error of the body, if any.
func (e *HTTPStatusError) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// transportError classifies err, a failure to exchange messages: the end of
// ctx wins, then errors already classified pass, and anything else is
// wrapped with ErrTransport.
func transportError(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctxError(ctx); cerr != nil {
		return cerr
	}
	if errors.Is(err, ErrTransport) || errors.Is(err, ErrTimeout) || errors.Is(err, ErrInvalidResponse) {
		return err
	}
	var hse *HTTPStatusError
	if errors.As(err, &hse) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrTransport, err)
}
