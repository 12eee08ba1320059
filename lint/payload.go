package lint

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/jsonscan"
	"github.com/schemarpc/schemarpc/validate"
)

// DefaultMaxValueSize is the largest JSON value (one line of JSON Lines,
// or one pretty-printed message or batch) a [PayloadChecker] reads.
const DefaultMaxValueSize = 64 << 20

// maxPending bounds how many requests a PayloadChecker remembers to match
// responses to; the oldest are forgotten first.
const maxPending = 1 << 17

// A PayloadChecker checks JSON-RPC payloads against a [Document]: each
// request's params against its method's params, each response's result
// against the result schema of the method of the request with its id, or
// its error against the method's declared errors. Requests and responses
// are matched by id across all the inputs given to one PayloadChecker; the
// last 131072 requests with an id are remembered.
//
// A PayloadChecker is not safe for concurrent use.
type PayloadChecker struct {
	doc *Document
	// MaxValueSize is the largest JSON value read, in bytes; larger ones
	// are a finding. n <= 0 means DefaultMaxValueSize.
	MaxValueSize int

	pending map[string]pendingCall
	ring    []ringEntry
	next    int
	seq     uint64

	messages int
}

type pendingCall struct {
	m   *method
	seq uint64
}

type ringEntry struct {
	id  string
	seq uint64
}

// Payloads returns a PayloadChecker for d.
func (d *Document) Payloads() *PayloadChecker {
	return &PayloadChecker{doc: d, pending: map[string]pendingCall{}}
}

// Messages returns how many messages (requests, notifications, responses
// and invalid members) have been checked so far.
func (c *PayloadChecker) Messages() int { return c.messages }

// Check reads the payloads in r, named name in findings, and calls report
// for each finding, in input order. r holds one JSON-RPC message, one
// batch, or several of them one after the other, typically JSON Lines
// (one per line); a message may span lines. r is read as a stream, one
// value at a time, so inputs of any size can be checked.
//
// Findings name the line the value starts on ("name:12"), and the member
// of a batch ("name[3]", "name:12[3]"), unless r holds a single value.
// Check returns an error only when reading r fails.
func (c *PayloadChecker) Check(r io.Reader, name string, report func(Finding)) error {
	max := c.MaxValueSize
	if max <= 0 {
		max = DefaultMaxValueSize
	}
	fr := &framer{r: bufio.NewReaderSize(r, 64<<10), max: max}
	var held []Finding // findings of the first value, until we know whether there is a second
	values := 0
	for {
		val, line, ferr := fr.next()
		if ferr != nil && !errors.Is(ferr, errTooLarge) {
			if errors.Is(ferr, io.EOF) {
				break
			}
			return ferr
		}
		values++
		if values == 2 {
			for _, f := range held {
				report(f)
			}
			held = nil
		}
		emit := report
		if values == 1 {
			emit = func(f Finding) { held = append(held, f) }
		}
		if ferr != nil {
			emit(Finding{File: name, Line: line, Index: -1, Keyword: "size", Message: ferr.Error()})
			continue
		}
		c.checkValue(val, name, line, emit)
	}
	for _, f := range held { // a single value: no line numbers
		if f.Line == 1 {
			f.Line = 0
		}
		report(f)
	}
	return nil
}

// checkValue checks one JSON value that starts at line.
func (c *PayloadChecker) checkValue(val []byte, name string, line int, emit func(Finding)) {
	msgs, batch, derr := schemarpc.Decode(val)
	if derr != nil {
		f := Finding{File: name, Line: line, Index: -1, Keyword: "jsonrpc", Message: errorText(derr)}
		if derr.Code == schemarpc.CodeParseError {
			f.Keyword = "json"
			f.Message = "not valid JSON"
			if _, err := decodeJSON(val); err != nil {
				var se *syntaxError
				if errors.As(err, &se) {
					f.Line, f.Column, f.Message = line+se.line-1, se.column, "not valid JSON: "+se.msg
				}
			}
		}
		c.messages++
		emit(f)
		return
	}
	for i, msg := range msgs {
		c.messages++
		idx := -1
		if batch {
			idx = i
		}
		at := Finding{File: name, Line: line, Index: idx}
		switch {
		case msg.Err != nil:
			at.Keyword, at.Message = "jsonrpc", "not a valid JSON-RPC 2.0 message: "+errorText(msg.Err)
			emit(at)
		case msg.Request != nil:
			c.checkRequest(msg.Request, at, emit)
		case msg.Response != nil:
			c.checkResponse(msg.Response, at, emit)
		}
	}
}

func errorText(e *schemarpc.Error) string {
	if s, ok := e.Data.(string); ok {
		return s
	}
	return e.Message
}

var discoverParams = validate.Params{Method: "rpc.discover", Shape: validate.NoParams}

// checkRequest checks a request's method and params.
func (c *PayloadChecker) checkRequest(req *schemarpc.Request, at Finding, emit func(Finding)) {
	at.Method = req.Method
	m := c.doc.methods[req.Method]
	if m == nil {
		if req.Method == "rpc.discover" {
			if _, verr := discoverParams.Normalize(req.Params); verr != nil {
				at.Pointer, at.Keyword, at.Message = "/params", verr.Violations[0].Keyword, verr.Violations[0].Message
				emit(at)
			}
			return
		}
		at.Pointer, at.Keyword = "/method", "method"
		at.Message = fmt.Sprintf("method %q is not in the document", req.Method)
		if s := closest(req.Method, c.doc.names); s != "" {
			at.Hint = fmt.Sprintf("did you mean %q?", s)
		}
		emit(at)
		return
	}
	if !req.IsNotification() {
		c.remember(req.ID.Raw(), m)
	}
	for _, f := range m.checkParams(req.Params) {
		g := at
		g.Pointer, g.Keyword, g.Message, g.Hint = f.Pointer, f.Keyword, f.Message, f.Hint
		emit(g)
	}
}

// remember records that the request with raw id id calls m.
func (c *PayloadChecker) remember(id string, m *method) {
	if c.ring == nil {
		c.ring = make([]ringEntry, 0, 1024)
	}
	c.seq++
	if len(c.ring) < maxPending {
		c.ring = append(c.ring, ringEntry{id, c.seq})
	} else {
		old := c.ring[c.next]
		if p, ok := c.pending[old.id]; ok && p.seq == old.seq {
			delete(c.pending, old.id)
		}
		c.ring[c.next] = ringEntry{id, c.seq}
		c.next = (c.next + 1) % maxPending
	}
	c.pending[id] = pendingCall{m, c.seq}
}

// standardCodes are the error codes any method may answer without
// declaring them: those of JSON-RPC 2.0 and schemarpc's own.
var standardCodes = map[int64]bool{
	int64(schemarpc.CodeParseError): true, int64(schemarpc.CodeInvalidRequest): true,
	int64(schemarpc.CodeMethodNotFound): true, int64(schemarpc.CodeInvalidParams): true,
	int64(schemarpc.CodeInternalError): true, int64(schemarpc.CodeServerError): true,
	int64(schemarpc.CodeOverloaded): true, int64(schemarpc.CodeCanceled): true,
	int64(schemarpc.CodeDeadlineExceeded): true,
}

// checkResponse checks a response against the method of its request, when
// that request was seen.
func (c *PayloadChecker) checkResponse(resp *schemarpc.Response, at Finding, emit func(Finding)) {
	p, ok := c.pending[resp.ID.Raw()]
	if !ok {
		return // request unknown: nothing to check against
	}
	delete(c.pending, resp.ID.Raw())
	m := p.m
	at.Method = m.name
	if resp.Error != nil {
		code := int64(resp.Error.Code)
		if !standardCodes[code] && !m.errors[code] {
			at.Pointer, at.Keyword = "/error/code", "errors"
			at.Message = fmt.Sprintf("error code %d is not declared by method %s", code, m.name)
			at.Hint = "declare it in the method's \"errors\""
			emit(at)
		}
		return
	}
	if m.result == nil {
		return
	}
	result := resp.Result
	if len(result) == 0 {
		result = json.RawMessage("null")
	}
	err := m.result.ValidateJSON(result)
	var verr *validate.Error
	if !errors.As(err, &verr) {
		return
	}
	for _, v := range verr.Violations {
		g := at
		g.Pointer, g.Keyword, g.Message = "/result"+v.Pointer, v.Keyword, v.Message
		emit(g)
	}
}

// checkParams checks params exactly as the server treats them: the same
// normalisation (validate.Params, shared with the server), then the
// params schema. Pointers of the findings are relative to the message
// ("/params/0").
func (m *method) checkParams(params json.RawMessage) []Finding {
	norm, verr := m.shape.Normalize(params)
	if verr != nil {
		var out []Finding
		for _, v := range verr.Violations {
			f := Finding{Pointer: "/params" + v.Pointer, Keyword: v.Keyword, Message: v.Message}
			switch {
			case m.shape.Shape != validate.Named:
			case m.shape.ByName && params != nil && params[0] == '[':
				f.Keyword, f.Hint = "paramStructure", "send {"+strings.Join(quoteAll(m.names), ": …, ")+": …}"
			case m.shape.ByPosition && params != nil && params[0] == '{':
				f.Keyword, f.Hint = "paramStructure", "send ["+strings.Join(m.names, ", ")+"]"
			}
			out = append(out, f)
		}
		return out
	}
	if m.params == nil || m.shape.Shape == validate.AnyParams || m.shape.Shape == validate.NoParams {
		return nil // no schema, or one that does not compile (reported with the document)
	}
	given := -1
	if params != nil && params[0] == '[' && !m.variadic {
		given = 0
		for range jsonscan.Elements(params) {
			given++
		}
	}
	return m.violations(norm, given)
}

// violations validates normalized params. given >= 0 means they came as an
// array of that many elements, whose pointers are reported by position.
func (m *method) violations(params []byte, given int) []Finding {
	err := m.params.ValidateJSON(params)
	var verr *validate.Error
	if !errors.As(err, &verr) {
		if err != nil {
			return []Finding{{Pointer: "/params", Keyword: "json", Message: "params are not valid JSON"}}
		}
		return nil
	}
	var out []Finding
	for _, v := range verr.Violations {
		f := Finding{Pointer: "/params" + v.Pointer, Keyword: v.Keyword, Message: v.Message}
		if !m.variadic {
			tok, rest := splitPointer(v.Pointer)
			name := unescapeToken(tok)
			i := indexOf(m.names, name)
			switch {
			case v.Keyword == "required" && rest == "" && i >= 0:
				f.Message = fmt.Sprintf("missing required param %q", name)
				if given >= 0 {
					f.Pointer = "/params"
					f.Message = fmt.Sprintf("missing required param %q (position %d)", name, i)
				}
			case v.Keyword == "additionalProperties" && rest == "":
				f.Message = fmt.Sprintf("method %s has no param %q", m.name, name)
				f.Hint = hintParamName(name, m.names)
			case given >= 0 && i >= 0:
				f.Pointer = "/params/" + strconv.Itoa(i) + rest
			}
		}
		out = append(out, f)
	}
	return out
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}

// errTooLarge is returned by framer.next for a value over the size limit.
var errTooLarge = errors.New("value too large")

// A framer splits a stream into JSON values without decoding them: a
// value ends at the end of the line on which its brackets balance. A line
// that starts at column 1 with '{' or '[' while a value is still open
// starts a new value, so that one truncated line of JSON Lines does not
// swallow the rest of the file.
type framer struct {
	r    *bufio.Reader
	max  int
	line int // lines read so far

	buf      []byte
	depth    int
	inString bool
	escape   bool
	skipping bool // dropping the rest of a value over the size limit
	start    int  // line the current value starts on
	pending  []byte
}

// next returns the next value, the line it starts on, and io.EOF at the
// end. A value over the size limit returns errTooLarge (wrapped) with its
// line.
func (f *framer) next() ([]byte, int, error) {
	f.buf = f.buf[:0]
	if f.pending != nil {
		f.buf = append(f.buf, f.pending...)
		f.pending = nil
		f.scan(f.buf)
		if f.complete() {
			return bytes.TrimSpace(f.buf), f.start, nil
		}
	}
	for {
		line, dropped, err := f.readLine()
		if len(line) == 0 && err != nil {
			if len(bytes.TrimSpace(f.buf)) > 0 || f.skipping {
				return f.finish(f.start)
			}
			return nil, f.start, err
		}
		f.line++
		if dropped {
			start := f.line
			if len(bytes.TrimSpace(f.buf)) > 0 || f.skipping {
				start = f.start
			}
			f.skipping = false
			f.reset()
			return nil, start, fmt.Errorf("%w: a line is longer than %d bytes", errTooLarge, f.max)
		}
		if len(bytes.TrimSpace(f.buf)) == 0 && !f.skipping {
			if len(bytes.TrimSpace(line)) == 0 {
				f.buf = f.buf[:0]
				continue
			}
			f.start = f.line
			f.reset()
		} else if (line[0] == '{' || line[0] == '[') && !f.inString && f.depth > 0 {
			// A new value while the previous one is still open.
			start := f.start
			f.pending = append(f.pending[:0], line...)
			f.start = f.line
			val, _, err := f.finish(start)
			f.reset()
			f.start = f.line
			return val, start, err
		}
		if f.skipping {
			f.scan(line)
			if f.complete() {
				f.skipping = false
				start := f.start
				f.reset()
				return nil, start, fmt.Errorf("%w: a JSON value is larger than %d bytes", errTooLarge, f.max)
			}
			continue
		}
		f.buf = append(f.buf, line...)
		f.scan(line)
		if len(f.buf) > f.max {
			f.buf = f.buf[:0]
			if f.complete() {
				start := f.start
				f.reset()
				return nil, start, fmt.Errorf("%w: a JSON value is larger than %d bytes", errTooLarge, f.max)
			}
			f.skipping = true
			continue
		}
		if f.complete() {
			return bytes.TrimSpace(f.buf), f.start, nil
		}
	}
}

// finish returns what is buffered as a (probably broken) value.
func (f *framer) finish(start int) ([]byte, int, error) {
	if f.skipping {
		f.skipping = false
		f.reset()
		return nil, start, fmt.Errorf("%w: a JSON value is larger than %d bytes", errTooLarge, f.max)
	}
	val := bytes.TrimSpace(f.buf)
	f.reset()
	return val, start, nil
}

func (f *framer) reset() { f.depth, f.inString, f.escape = 0, false, false }

// complete reports whether the brackets scanned so far balance.
func (f *framer) complete() bool { return f.depth <= 0 && !f.inString }

// scan advances the bracket and string state over b.
func (f *framer) scan(b []byte) {
	for _, ch := range b {
		switch {
		case f.escape:
			f.escape = false
		case f.inString:
			switch ch {
			case '\\':
				f.escape = true
			case '"':
				f.inString = false
			}
		case ch == '"':
			f.inString = true
		case ch == '{' || ch == '[':
			f.depth++
		case ch == '}' || ch == ']':
			f.depth--
		}
	}
}

// readLine returns the next line including its newline. A line longer
// than the size limit is cut there, and dropped reports it. The returned
// slice is only valid until the next call.
func (f *framer) readLine() (line []byte, dropped bool, err error) {
	line, err = f.r.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, false, err
	}
	long := append([]byte(nil), line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = f.r.ReadSlice('\n')
		if len(long) <= f.max {
			long = append(long, line...)
		} else {
			dropped = true
		}
	}
	return long, dropped, err
}
