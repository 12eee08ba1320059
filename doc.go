// Package schemarpc holds the JSON-RPC 2.0 wire protocol shared by the
// server and client packages: requests, responses, error objects, ids, error
// codes, and a strict decoder for single messages and batches.
//
// The package imports no other public package of this module. Most programs use it
// through [github.com/schemarpc/schemarpc/server] and
// [github.com/schemarpc/schemarpc/client].
//
// # Errors
//
// [*Error] is both the Go error and the JSON error object. The sentinel
// values ([ErrParse], [ErrInvalidRequest], [ErrMethodNotFound],
// [ErrInvalidParams], [ErrInternal], [ErrServer]) are *Error values whose Is
// method compares codes only, so errors.Is works on errors decoded from the
// wire:
//
//	if errors.Is(err, schemarpc.ErrInvalidParams) {
//		var e *schemarpc.Error
//		errors.As(err, &e) // e.Data holds the validation report
//	}
//
// [CodeOf] maps any error to a code: nil to 0, *Error (or a type with a
// RPCError method) to its code, context errors to [CodeCanceled] and
// [CodeDeadlineExceeded], anything else to [CodeInternalError].
//
// # Spec interpretations
//
// Where the JSON-RPC 2.0 specification leaves room, schemarpc decides as
// follows:
//
//   - "jsonrpc" must be exactly the string "2.0"; member names are matched
//     case-sensitively and a member given twice makes the request invalid.
//   - "id" must be a string, a number or null. It is kept as the raw bytes
//     received and echoed back byte for byte, so 12345678901234567890 or 1.0
//     come back as written. A request without "id" is a notification; a
//     request with "id": null is a call whose response carries a null id.
//   - "params" must be absent, an array or an object; anything else is
//     -32600 Invalid Request.
//   - A response object sent to a server (outside a WebSocket, where it
//     may answer a call the server made) is not a request: -32600.
//   - An invalid member of a batch gets its own -32600 response; if it
//     carried a valid id that id is echoed, otherwise the id is null.
//   - An empty batch is one -32600 response (not an array). A batch whose
//     members are all notifications produces no response at all.
//   - Batch responses come back in request order.
package schemarpc
