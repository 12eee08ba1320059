package schemarpc

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

// Version is the value of the "jsonrpc" member of every message.
const Version = "2.0"

// Request is a JSON-RPC 2.0 request, or a notification when ID is zero.
type Request struct {
	// ID is the request id; the zero ID makes the request a notification.
	ID ID
	// Method is the name of the method to call.
	Method string
	// Params is the raw JSON of the params: nil when absent, otherwise an
	// array or an object. Decoded requests alias the input buffer.
	Params json.RawMessage
}

// IsNotification reports whether the request has no id and so expects no
// response.
func (r *Request) IsNotification() bool { return r.ID.IsZero() }

// MarshalJSON encodes the request with "jsonrpc":"2.0", omitting "id" for a
// notification and "params" when nil.
func (r *Request) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil) }

// AppendJSON appends the JSON encoding of r to dst.
func (r *Request) AppendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"jsonrpc":"2.0"`...)
	if !r.ID.IsZero() {
		dst = append(dst, `,"id":`...)
		dst = append(dst, r.ID.raw...)
	}
	dst = append(dst, `,"method":`...)
	dst = appendString(dst, r.Method)
	if r.Params != nil {
		if !isStructured(r.Params) {
			return nil, Errorf(CodeInvalidRequest, "params must be an array or an object")
		}
		dst = append(dst, `,"params":`...)
		dst = append(dst, r.Params...)
	}
	return append(dst, '}'), nil
}

// UnmarshalJSON decodes one request strictly, as [Decode] does.
func (r *Request) UnmarshalJSON(data []byte) error {
	m, err := decodeOne(data)
	if err != nil {
		return err
	}
	if m.Request == nil {
		if m.Err != nil {
			return m.Err
		}
		return Errorf(CodeInvalidRequest, "not a request")
	}
	*r = *m.Request
	return nil
}

// Response is a JSON-RPC 2.0 response: exactly one of Result and Error is
// meaningful. A nil Result with a nil Error encodes as "result": null.
type Response struct {
	// ID echoes the request id; the zero ID encodes as null.
	ID ID
	// Result is the raw JSON of the result.
	Result json.RawMessage
	// Error is the error object, nil on success.
	Error *Error
}

// MarshalJSON encodes the response.
func (r *Response) MarshalJSON() ([]byte, error) { return r.AppendJSON(nil) }

// AppendJSON appends the JSON encoding of r to dst.
func (r *Response) AppendJSON(dst []byte) ([]byte, error) {
	if r.Error == nil {
		dst = slices.Grow(dst, len(`{"jsonrpc":"2.0","id":,"result":}`)+len(r.ID.raw)+max(len(r.Result), 4))
	}
	dst = append(dst, `{"jsonrpc":"2.0","id":`...)
	if r.ID.IsZero() {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, r.ID.raw...)
	}
	if r.Error != nil {
		dst = append(dst, `,"error":`...)
		return append(appendError(dst, r.Error), '}'), nil
	}
	dst = append(dst, `,"result":`...)
	if len(r.Result) == 0 {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, r.Result...)
	}
	return append(dst, '}'), nil
}

// appendError appends the JSON error object of e to dst. Data that cannot be
// encoded is dropped rather than failing the whole response.
func appendError(dst []byte, e *Error) []byte {
	dst = append(dst, `{"code":`...)
	dst = strconv.AppendInt(dst, int64(e.Code), 10)
	dst = append(dst, `,"message":`...)
	dst = appendString(dst, e.Message)
	if e.Data != nil {
		var data []byte
		if raw, ok := e.Data.(json.RawMessage); ok && json.Valid(raw) {
			data = raw
		} else if b, err := marshalNoEscape(e.Data); err == nil {
			data = b
		}
		if data != nil {
			dst = append(dst, `,"data":`...)
			dst = append(dst, data...)
		}
	}
	return append(dst, '}')
}

// UnmarshalJSON decodes one response strictly, as [Decode] does.
func (r *Response) UnmarshalJSON(data []byte) error {
	m, err := decodeOne(data)
	if err != nil {
		return err
	}
	if m.Response == nil {
		if m.Err != nil {
			return m.Err
		}
		return Errorf(CodeInvalidRequest, "not a response")
	}
	*r = *m.Response
	return nil
}

// Message is one decoded member of a payload. Exactly one of Request,
// Response and Err is set. When Err is set, ID holds the member's id if it
// had a valid one, so that the error response can echo it.
type Message struct {
	Request  *Request
	Response *Response
	Err      *Error
	ID       ID
}

// Decoder decodes JSON-RPC payloads strictly. The zero Decoder has no batch
// limit.
type Decoder struct {
	// MaxBatch is the largest batch accepted; n <= 0 removes the limit.
	MaxBatch int
	// MaxDepth is the deepest nesting of arrays and objects accepted; a
	// payload nested deeper is a parse error. n <= 0 means
	// DefaultMaxDepth, which is also encoding/json's limit.
	MaxDepth int
}

// DefaultMaxDepth is the nesting limit of a [Decoder] whose MaxDepth is 0.
const DefaultMaxDepth = jsonscan.DefaultMaxDepth

// checkJSON checks that data is one JSON value, valid UTF-8, nested at most
// maxDepth deep, and returns the parse error to answer otherwise.
func checkJSON(data []byte, maxDepth int) *Error {
	switch jsonscan.Check(data, maxDepth) {
	case nil:
		return nil
	case jsonscan.ErrUTF8:
		return ErrParse.WithData("not valid UTF-8")
	case jsonscan.ErrDepth:
		return ErrParse.WithData("nested too deeply")
	}
	return ErrParse.WithData("not valid JSON")
}

// Decode decodes a payload with the zero [Decoder].
func Decode(data []byte) (msgs []Message, batch bool, err *Error) {
	return Decoder{}.Decode(data)
}

// Decode decodes a payload: one message or a batch (a JSON array). err is
// set when the payload as a whole cannot be answered member by member: it is
// not JSON (-32700), an empty batch, a batch larger than MaxBatch, or neither
// an object nor an array (-32600). Otherwise each member yields one Message;
// invalid members carry their own -32600 error.
//
// Decoded requests and responses alias data: do not modify data while they
// are in use.
func (d Decoder) Decode(data []byte) (msgs []Message, batch bool, err *Error) {
	if msgs, batch, ok := d.decodeQuick(data); ok {
		return msgs, batch, nil
	}
	return d.decodeThorough(data)
}

// decodeThorough is Decode for every payload: it checks the whole payload,
// then reads it.
func (d Decoder) decodeThorough(data []byte) (msgs []Message, batch bool, err *Error) {
	if perr := checkJSON(data, d.MaxDepth); perr != nil {
		return nil, false, perr
	}
	data = jsonscan.TrimSpace(data)
	switch data[0] {
	case '{':
		return []Message{decodeObject(data)}, false, nil
	case '[':
	default:
		return nil, false, ErrInvalidRequest.WithData("a request must be an object or an array of objects")
	}
	n := 0
	for range jsonscan.Elements(data) {
		n++
		if d.MaxBatch > 0 && n > d.MaxBatch {
			return nil, true, ErrInvalidRequest.WithData("batch too large: more than " + strconv.Itoa(d.MaxBatch) + " requests")
		}
	}
	if n == 0 {
		return nil, true, ErrInvalidRequest.WithData("empty batch")
	}
	msgs = make([]Message, 0, n)
	for el := range jsonscan.Elements(data) {
		if el[0] != '{' {
			msgs = append(msgs, Message{Err: ErrInvalidRequest.WithData("a batch member must be an object")})
			continue
		}
		msgs = append(msgs, decodeObject(el))
	}
	return msgs, true, nil
}

// decodeQuick decodes the common payloads in one pass, checking the JSON
// as it reads the members: a request or response object, or a batch of
// them, within the limits, with no member given twice, no unknown member
// and no escape in member names. It reports false for anything else (an
// error among them), which Decode then answers the thorough way: checking
// the whole payload first, then reading it.
func (d Decoder) decodeQuick(data []byte) (msgs []Message, batch bool, ok bool) {
	maxDepth := d.MaxDepth
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	i := jsonscan.SkipSpace(data, 0)
	if i >= len(data) {
		return nil, false, false
	}
	switch data[i] {
	case '{':
		m, end, ok := quickObject(data, i, maxDepth-1)
		if !ok || jsonscan.SkipSpace(data, end) != len(data) {
			return nil, false, false
		}
		return []Message{m}, false, true
	case '[':
	default:
		return nil, false, false
	}
	msgs = make([]Message, 0, min(len(data)/64+1, 1024))
	i = jsonscan.SkipSpace(data, i+1)
	for {
		if i >= len(data) || data[i] != '{' || (d.MaxBatch > 0 && len(msgs) == d.MaxBatch) {
			return nil, true, false
		}
		m, end, ok := quickObject(data, i, maxDepth-2)
		if !ok {
			return nil, true, false
		}
		msgs = append(msgs, m)
		i = jsonscan.SkipSpace(data, end)
		if i >= len(data) {
			return nil, true, false
		}
		switch data[i] {
		case ',':
			i = jsonscan.SkipSpace(data, i+1)
			continue
		case ']':
			if jsonscan.SkipSpace(data, i+1) != len(data) {
				return nil, true, false
			}
			return msgs, true, true
		}
		return nil, true, false
	}
}

// quickObject reads the object at b[i] for decodeQuick, checking it as it
// goes; member values may nest depth deep (at least 1: CheckValue reads 0
// as its default).
func quickObject(b []byte, i, depth int) (Message, int, bool) {
	if depth < 1 {
		return Message{}, i, false
	}
	var mb members
	i = jsonscan.SkipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return mb.message(), i + 1, true
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return Message{}, i, false
		}
		kend, err := jsonscan.CheckValue(b, i, 1)
		if err != nil {
			return Message{}, i, false
		}
		bit, dst := mb.slot(b[i+1 : kend-1]) // an escaped name matches none
		if dst == nil || mb.seen&bit != 0 {
			return Message{}, i, false
		}
		mb.seen |= bit
		i = jsonscan.SkipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return Message{}, i, false
		}
		i = jsonscan.SkipSpace(b, i+1)
		vend, err := jsonscan.CheckValue(b, i, depth)
		if err != nil {
			return Message{}, i, false
		}
		*dst = b[i:vend]
		i = jsonscan.SkipSpace(b, vend)
		if i >= len(b) {
			return Message{}, i, false
		}
		switch b[i] {
		case ',':
			i = jsonscan.SkipSpace(b, i+1)
		case '}':
			return mb.message(), i + 1, true
		default:
			return Message{}, i, false
		}
	}
}

// decodeOne decodes a single message (not a batch).
func decodeOne(data []byte) (Message, *Error) {
	if perr := checkJSON(data, 0); perr != nil {
		return Message{}, perr
	}
	data = jsonscan.TrimSpace(data)
	if data[0] != '{' {
		return Message{}, ErrInvalidRequest.WithData("a message must be a JSON object")
	}
	return decodeObject(data), nil
}

// member presence bits.
const (
	hasJSONRPC = 1 << iota
	hasMethod
	hasParams
	hasID
	hasResult
	hasError
)

// members are the members of a message object, as raw JSON values.
type members struct {
	seen                                      int // presence bits
	version, method, params, id, result, errv []byte
}

// readMembers collects the members of one valid JSON object. A member given
// twice is an error, unknown members included (they are otherwise ignored).
func readMembers(obj []byte) (members, *Error) {
	var (
		mb      members
		unknown []string // names of other members, to find duplicates
	)
	for rawKey, val := range jsonscan.Members(obj) {
		key := keyBytes(rawKey)
		bit, dst := mb.slot(key)
		if dst == nil {
			if slices.Contains(unknown, string(key)) {
				return mb, ErrInvalidRequest.WithData("member " + strconv.Quote(string(key)) + " given twice")
			}
			unknown = append(unknown, string(key))
			continue
		}
		if mb.seen&bit != 0 {
			return mb, ErrInvalidRequest.WithData("member " + strconv.Quote(string(key)) + " given twice")
		}
		mb.seen |= bit
		*dst = val
	}
	return mb, nil
}

// slot returns the presence bit and the field of the member named name,
// or a nil field for a member a message does not have.
func (mb *members) slot(name []byte) (int, *[]byte) {
	switch string(name) { // compared without allocating
	case "jsonrpc":
		return hasJSONRPC, &mb.version
	case "method":
		return hasMethod, &mb.method
	case "params":
		return hasParams, &mb.params
	case "id":
		return hasID, &mb.id
	case "result":
		return hasResult, &mb.result
	case "error":
		return hasError, &mb.errv
	}
	return 0, nil
}

// decodeObject classifies and checks one valid JSON object: a request, a
// response, or an error answer (with the id when it could be read).
func decodeObject(obj []byte) Message {
	mb, err := readMembers(obj)
	if err != nil {
		return Message{Err: err}
	}
	return mb.message()
}

// message classifies and checks the members of one object.
func (mb *members) message() Message {
	var m Message
	if mb.seen&hasID != 0 {
		pid, err := ParseID(mb.id)
		if err != nil {
			return Message{Err: ErrInvalidRequest.WithData("id must be a string, a number or null")}
		}
		m.ID = pid
	}
	switch {
	case mb.seen&hasJSONRPC == 0 || !isVersion(mb.version):
		m.Err = ErrInvalidRequest.WithData(`"jsonrpc" must be exactly "2.0"`)
	case mb.seen&hasMethod != 0:
		m.Request, m.Err = mb.request(m.ID)
	case mb.seen&(hasResult|hasError) != 0:
		m.Response, m.Err = mb.response(m.ID)
	default:
		m.Err = ErrInvalidRequest.WithData(`a request must have a "method"`)
	}
	return m
}

// request checks the members of a request.
func (mb *members) request(id ID) (*Request, *Error) {
	if mb.method[0] != '"' {
		return nil, ErrInvalidRequest.WithData(`"method" must be a string`)
	}
	name, ok := unquote(mb.method)
	if !ok {
		return nil, ErrInvalidRequest.WithData(`"method" must be a string`)
	}
	req := &Request{ID: id, Method: name}
	if mb.seen&hasParams != 0 {
		if !isStructured(mb.params) {
			return nil, ErrInvalidRequest.WithData(`"params" must be an array or an object`)
		}
		req.Params = mb.params
	}
	return req, nil
}

// response checks the members of a response.
func (mb *members) response(id ID) (*Response, *Error) {
	switch {
	case mb.seen&hasID == 0:
		return nil, ErrInvalidRequest.WithData(`a response must have an "id"`)
	case mb.seen&(hasResult|hasError) == hasResult|hasError:
		return nil, ErrInvalidRequest.WithData(`a response must not have both "result" and "error"`)
	case mb.seen&hasResult != 0:
		return &Response{ID: id, Result: mb.result}, nil
	}
	e, ok := decodeErrorObject(mb.errv)
	if !ok {
		return nil, ErrInvalidRequest.WithData(`"error" must be an object with an integer "code" and a string "message"`)
	}
	return &Response{ID: id, Error: e}, nil
}

func decodeErrorObject(b []byte) (*Error, bool) {
	if b[0] != '{' {
		return nil, false
	}
	var (
		e    Error
		seen int
	)
	for rawKey, val := range jsonscan.Members(b) {
		switch string(keyBytes(rawKey)) {
		case "code":
			n, err := strconv.ParseInt(string(val), 10, 64)
			if err != nil || n != int64(int(n)) {
				return nil, false
			}
			e.Code = Code(n)
			seen |= 1
		case "message":
			s, ok := unquote(val)
			if !ok || val[0] != '"' {
				return nil, false
			}
			e.Message = s
			seen |= 2
		case "data":
			e.Data = json.RawMessage(val)
		}
	}
	return &e, seen == 3
}

// keyBytes returns the name of a member key given as a raw JSON string:
// the bytes between the quotes, unescaped only when they hold escapes.
func keyBytes(raw []byte) []byte {
	inner := raw[1 : len(raw)-1]
	if !jsonscan.HasEscape(inner) {
		return inner
	}
	s, _ := jsonscan.Unquote(raw)
	return []byte(s)
}

func isVersion(b []byte) bool {
	if string(b) == `"2.0"` {
		return true
	}
	s, ok := unquote(b)
	return ok && b[0] == '"' && s == Version
}

func isStructured(b []byte) bool {
	b = jsonscan.TrimSpace(b)
	return len(b) > 0 && (b[0] == '[' || b[0] == '{')
}

// unquote decodes a JSON string; ok is false for any other value.
func unquote(b []byte) (string, bool) { return jsonscan.Unquote(b) }

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string. It escapes what JSON requires
// plus <, > and & (like encoding/json) and replaces invalid UTF-8.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// marshalNoEscape is json.Marshal without HTML escaping and without the
// trailing newline of json.Encoder.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}
