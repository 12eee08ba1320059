package schemarpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Code is a JSON-RPC 2.0 error code.
type Code int

// Error codes defined by the JSON-RPC 2.0 specification (section 5.1) and the
// implementation-defined codes schemarpc uses inside the reserved server
// range -32000..-32099.
const (
	// CodeParseError: the server received invalid JSON. [std]
	CodeParseError Code = -32700
	// CodeInvalidRequest: the JSON sent is not a valid request object. [std]
	CodeInvalidRequest Code = -32600
	// CodeMethodNotFound: the method does not exist or is not available. [std]
	CodeMethodNotFound Code = -32601
	// CodeInvalidParams: invalid method parameters. [std]
	CodeInvalidParams Code = -32602
	// CodeInternalError: internal JSON-RPC error. [std]
	CodeInternalError Code = -32603

	// CodeServerError is the generic implementation-defined server error,
	// the first code of the reserved range.
	CodeServerError Code = -32000
	// CodeOverloaded reports that the server refused a call because it is
	// shutting down or at a configured concurrency limit.
	CodeOverloaded Code = -32097
	// CodeCanceled reports that the call's context was canceled.
	CodeCanceled Code = -32098
	// CodeDeadlineExceeded reports that the call ran past its deadline.
	CodeDeadlineExceeded Code = -32099
)

// String returns the standard message for the code, or "error <code>".
func (c Code) String() string {
	switch c {
	case CodeParseError:
		return "Parse error"
	case CodeInvalidRequest:
		return "Invalid Request"
	case CodeMethodNotFound:
		return "Method not found"
	case CodeInvalidParams:
		return "Invalid params"
	case CodeInternalError:
		return "Internal error"
	case CodeServerError:
		return "Server error"
	case CodeOverloaded:
		return "Server overloaded"
	case CodeCanceled:
		return "Request canceled"
	case CodeDeadlineExceeded:
		return "Request timed out"
	}
	return "error " + strconv.Itoa(int(c))
}

// Err returns a fresh *Error with the code and its standard message.
func (c Code) Err() *Error { return &Error{Code: c, Message: c.String()} }

// Error is a JSON-RPC 2.0 error object and a Go error at once.
//
// Message and Data are sent to the client as they are: never put internal
// details (stack traces, SQL, file paths) in them.
//
// When an Error is decoded from the wire, Data holds the raw JSON as a
// json.RawMessage (nil when absent).
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

// Sentinel errors, one per standard code and one for the generic server
// error. errors.Is(err, ErrX) is true for any *Error with the same code.
var (
	ErrParse          = &Error{Code: CodeParseError, Message: "Parse error"}
	ErrInvalidRequest = &Error{Code: CodeInvalidRequest, Message: "Invalid Request"}
	ErrMethodNotFound = &Error{Code: CodeMethodNotFound, Message: "Method not found"}
	ErrInvalidParams  = &Error{Code: CodeInvalidParams, Message: "Invalid params"}
	ErrInternal       = &Error{Code: CodeInternalError, Message: "Internal error"}
	ErrServer         = &Error{Code: CodeServerError, Message: "Server error"}
)

// NewError returns an error with the given code and message.
func NewError(code Code, message string) *Error {
	return &Error{Code: code, Message: message}
}

// Errorf returns an error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Data != nil {
		if raw, ok := e.Data.(json.RawMessage); ok {
			return fmt.Sprintf("jsonrpc error %d: %s (data: %s)", e.Code, e.Message, raw)
		}
	}
	return fmt.Sprintf("jsonrpc error %d: %s", e.Code, e.Message)
}

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, ErrInvalidParams) holds for any -32602 error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && e != nil && t != nil && t.Code == e.Code
}

// WithData returns a copy of e carrying data.
func (e *Error) WithData(data any) *Error {
	c := *e
	c.Data = data
	return &c
}

// DataAs decodes the error's data into v. It works both for data set in
// process and for data decoded from the wire.
func (e *Error) DataAs(v any) error {
	if e.Data == nil {
		return errors.New("schemarpc: error has no data")
	}
	raw, ok := e.Data.(json.RawMessage)
	if !ok {
		b, err := json.Marshal(e.Data)
		if err != nil {
			return err
		}
		raw = b
	}
	return json.Unmarshal(raw, v)
}

// RPCError is implemented by domain error types that choose their own
// JSON-RPC error object. Handlers may return such errors; the server sends
// the *Error they return.
type RPCError interface {
	RPCError() *Error
}

// CodeOf returns the JSON-RPC code of err: 0 for nil; the code of an *Error
// or RPCError found with errors.As; CodeCanceled for context.Canceled;
// CodeDeadlineExceeded for context.DeadlineExceeded; and CodeInternalError
// for any other error.
func CodeOf(err error) Code {
	if err == nil {
		return 0
	}
	if e := AsError(err); e != nil {
		return e.Code
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return CodeDeadlineExceeded
	case errors.Is(err, context.Canceled):
		return CodeCanceled
	}
	return CodeInternalError
}

// AsError returns the *Error that err carries (directly, wrapped, or through
// an RPCError implementation), or nil when it carries none.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var re RPCError
	if errors.As(err, &re) {
		return re.RPCError()
	}
	return nil
}

// ErrConnClosed is returned (wrapped, with the cause) by calls on a
// WebSocket connection that closed before the answer arrived, and by calls
// made after it closed. Test for it with errors.Is.
var ErrConnClosed = errors.New("schemarpc: connection closed")
