package lint

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"

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
// A PayloadChecker is not safe for concurrent use: check one input at a
// time. Each [PayloadChecker.Check] uses every processor
// (runtime.GOMAXPROCS) by itself.
type PayloadChecker struct {
	doc *Document
	// MaxValueSize is the largest JSON value read, in bytes; larger ones
	// are a finding. n <= 0 means DefaultMaxValueSize.
	MaxValueSize int

	pending  pendingCalls
	messages int
}

// Payloads returns a PayloadChecker for d.
func (d *Document) Payloads() *PayloadChecker {
	return &PayloadChecker{doc: d}
}

// Messages returns how many messages (requests, notifications, responses
// and invalid members) have been checked so far.
func (c *PayloadChecker) Messages() int { return c.messages }

// Check reads the payloads in r, named name in findings, and calls report
// for each finding, in input order, from the goroutine that called Check.
// r holds one JSON-RPC message, one batch, or several of them one after
// the other, typically JSON Lines (one per line); a message may span
// lines, but a newline always ends a string, so a line cut short does not
// hide the lines after it. r is read as a stream, a bounded number of
// values at a time, and checked by as many goroutines as there are
// processors, so inputs of any size can be checked quickly in bounded
// memory.
//
// Findings name the line the value starts on ("name:12"), and the member
// of a batch ("name[3]", "name:12[3]"), unless r holds a single value.
//
// Check returns an error when reading r fails, or ctx's error when ctx is
// done before the end of r; the findings reported until then are those of
// the values before the failure. When ctx is done, Check returns promptly
// even if a Read of r is blocked: the goroutine that reads r then ends
// when that Read returns.
func (c *PayloadChecker) Check(ctx context.Context, r io.Reader, name string, report func(Finding)) error {
	max := c.MaxValueSize
	if max <= 0 {
		max = DefaultMaxValueSize
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	p := newPipeline(workers)
	go p.read(ctx, &framer{r: bufio.NewReaderSize(r, readBufferSize), max: max})
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.work(ctx, c, name)
		}()
	}
	defer wg.Wait()    // after cancel: workers stop at their next batch
	var held []Finding // findings of the first value, until we know whether there is a second
	hold := func(f Finding) { held = append(held, f) }
	values := 0
	for {
		var b *batch
		select {
		case b = <-p.order:
		case <-ctx.Done():
			return ctx.Err()
		}
		if b == nil {
			break // the reader is done
		}
		select {
		case <-b.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		c.messages += b.messages
		k := 0
		for _, v := range b.vals {
			values++
			emit := report
			switch values {
			case 1:
				emit = hold
			case 2:
				for _, f := range held {
					report(f)
				}
				held = nil
			}
			for ; k < v.items; k++ {
				switch it := &b.items[k]; it.kind {
				case itemFinding:
					emit(it.f)
				case itemRequest:
					c.pending.remember(it.id, it.m)
				case itemResponse:
					c.checkResponse(it.resp, it.f, emit)
				}
			}
		}
		err := b.err
		p.recycle(b)
		if err != nil {
			return err
		}
	}
	if err := ctx.Err(); err != nil {
		return err // the reader stopped early
	}
	for _, f := range held { // a single value: no line numbers
		if f.Line == 1 {
			f.Line = 0
		}
		report(f)
	}
	return nil
}

// checkBatch checks the values of b, filling b.items.
func (c *PayloadChecker) checkBatch(b *batch, name string) {
	for i := range b.vals {
		v := &b.vals[i]
		if v.err != nil {
			b.messages++
			b.add(Finding{File: name, Line: v.line, Index: -1, Keyword: "size", Message: v.err.Error()})
		} else {
			c.checkValue(b, b.data[v.off:v.end], name, v.line)
		}
		v.items = len(b.items)
	}
}

// checkValue checks one JSON value that starts at line.
func (c *PayloadChecker) checkValue(b *batch, val []byte, name string, line int) {
	msgs, isBatch, derr := schemarpc.Decode(val)
	if derr != nil {
		f := Finding{File: name, Line: line, Index: -1, Keyword: "jsonrpc", Message: errorText(derr)}
		if derr.Code == schemarpc.CodeParseError {
			f.Keyword = "json"
			f.Message = "not valid JSON"
			if _, err := DecodeJSON(val); err != nil {
				var se *syntaxError
				if errors.As(err, &se) {
					f.Line, f.Column, f.Message = line+se.line-1, se.column, "not valid JSON: "+se.msg
				}
			}
		}
		b.messages++
		b.add(f)
		return
	}
	for i, msg := range msgs {
		b.messages++
		idx := -1
		if isBatch {
			idx = i
		}
		at := Finding{File: name, Line: line, Index: idx}
		switch {
		case msg.Err != nil:
			at.Keyword, at.Message = "jsonrpc", "not a valid JSON-RPC 2.0 message: "+errorText(msg.Err)
			b.add(at)
		case msg.Request != nil:
			c.checkRequest(b, msg.Request, at)
		case msg.Response != nil:
			b.items = append(b.items, item{kind: itemResponse, f: at, resp: msg.Response})
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
func (c *PayloadChecker) checkRequest(b *batch, req *schemarpc.Request, at Finding) {
	at.Method = req.Method
	m := c.doc.methods[req.Method]
	if m == nil {
		if req.Method == "rpc.discover" {
			if _, verr := discoverParams.Normalize(req.Params); verr != nil {
				at.Pointer, at.Keyword, at.Message = "/params", verr.Violations[0].Keyword, verr.Violations[0].Message
				b.add(at)
			}
			return
		}
		at.Pointer, at.Keyword = "/method", "method"
		at.Message = fmt.Sprintf("method %q is not in the document", req.Method)
		if s := closest(req.Method, c.doc.names); s != "" {
			at.Hint = fmt.Sprintf("did you mean %q?", s)
		}
		b.add(at)
		return
	}
	if !req.IsNotification() {
		b.items = append(b.items, item{kind: itemRequest, id: req.ID.Raw(), m: m})
	}
	for _, f := range m.checkParams(req.Params) {
		g := at
		g.Pointer, g.Keyword, g.Message, g.Hint = f.Pointer, f.Keyword, f.Message, f.Hint
		b.add(g)
	}
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

// checkResponse checks a response against the method of its request,
// when that request was seen.
func (c *PayloadChecker) checkResponse(resp *schemarpc.Response, at Finding, emit func(Finding)) {
	m := c.pending.take(resp.ID.Raw())
	if m == nil {
		return // request unknown: nothing to check against
	}
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
	err := m.result.ValidateCheckedJSON(result) // Decode checked the syntax
	var verr *validate.Error
	if !errors.As(err, &verr) {
		if err != nil {
			// The server does not check results: a warning.
			u := uncheckable("/result", err)
			g := at
			g.Pointer, g.Keyword, g.Message, g.Severity = u.Pointer, u.Keyword, u.Message, SeverityWarning
			emit(g)
		}
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
	err := m.params.ValidateCheckedJSON(params) // Decode checked the syntax, Normalize keeps it
	var verr *validate.Error
	if !errors.As(err, &verr) {
		if err != nil {
			// A schemarpc server refuses such params (-32602): an error.
			return []Finding{uncheckable("/params", err)}
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

// uncheckable is the finding for a value the validator refuses to check
// (validate.ErrTooComplex): nested too deep, too costly for the schema, or
// holding a number too large to compare exactly.
func uncheckable(pointer string, err error) Finding {
	return Finding{Pointer: pointer, Keyword: "complexity", Message: strings.TrimPrefix(err.Error(), "validate: ")}
}

func indexOf(names []string, name string) int {
	for i, n := range names {
		if n == name {
			return i
		}
	}
	return -1
}
