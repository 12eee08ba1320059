package lint

import (
	"context"
	"errors"
	"io"

	"github.com/schemarpc/schemarpc"
)

// The payload pipeline. One goroutine reads and frames the input into
// batches of whole values, workers check the batches in parallel, and the
// goroutine that called Check walks the batches in input order: it reports
// the findings and keeps the request ids that responses are matched with,
// the only state shared across values. A fixed set of batches circulates
// (free → reader → workers → Check → free), which bounds the memory in
// use whatever the size of the input.

const (
	// readBufferSize is the reader's buffer: also the most a batch waits
	// for before it is handed on when the input has no more at hand.
	readBufferSize = 256 << 10
	// batchBytes and batchValues end a batch.
	batchBytes  = 128 << 10
	batchValues = 1024
	// keepBytes bounds the value bytes a recycled batch keeps.
	keepBytes = 4 * batchBytes
)

// A batch is a run of consecutive values of the input.
type batch struct {
	data  []byte        // the values' bytes, back to back
	vals  []batchVal    // the values, in input order
	items []item        // what checking them gave, in input order
	err   error         // the read error after the values, if any
	done  chan struct{} // receives once the batch is checked

	messages int // messages checked
}

// A batchVal is one value of a batch.
type batchVal struct {
	off, end int   // the value is data[off:end]
	line     int   // line the value starts on
	err      error // the value is over the size limit (no bytes)
	items    int   // the value's items end at items[items]
}

type itemKind uint8

const (
	itemFinding  itemKind = iota // f is a finding
	itemRequest                  // a request with an id: remember id → m
	itemResponse                 // resp is to be matched; f is its location
)

// An item is a finding, or a step that needs the requests seen before it.
type item struct {
	kind itemKind
	f    Finding
	id   string
	m    *method
	resp *schemarpc.Response // aliases the batch's data
}

// add appends a finding.
func (b *batch) add(f Finding) { b.items = append(b.items, item{f: f}) }

// A pipeline holds the channels batches circulate on.
type pipeline struct {
	free  chan *batch // batches ready for the reader
	todo  chan *batch // read batches, for the workers
	order chan *batch // read batches in input order, for Check
}

func newPipeline(workers int) *pipeline {
	n := 2*workers + 2 // enough for every worker to have one batch ahead
	p := &pipeline{free: make(chan *batch, n), todo: make(chan *batch, n), order: make(chan *batch, n)}
	for range n {
		p.free <- &batch{done: make(chan struct{}, 1)}
	}
	return p
}

// read frames the input into batches until its end, a read error, or ctx
// is done; it then closes work and order.
func (p *pipeline) read(ctx context.Context, fr *framer) {
	defer close(p.todo)
	defer close(p.order)
	var b *batch
	send := func() bool {
		select {
		case p.order <- b:
		case <-ctx.Done():
			return false
		}
		select {
		case p.todo <- b:
		case <-ctx.Done():
			return false
		}
		b = nil
		return true
	}
	for {
		if b == nil {
			select {
			case b = <-p.free:
			case <-ctx.Done():
				return
			}
		}
		if len(b.vals) > 0 && fr.r.Buffered() == 0 && !send() {
			return // hand on what we have before a Read that may block
		}
		if b == nil {
			continue
		}
		val, line, err := fr.next()
		if err != nil && !errors.Is(err, errTooLarge) {
			if !errors.Is(err, io.EOF) {
				b.err = err
			}
			if len(b.vals) > 0 || b.err != nil {
				send()
			}
			return
		}
		v := batchVal{line: line, err: err, off: len(b.data)}
		b.data = append(b.data, val...)
		v.end = len(b.data)
		b.vals = append(b.vals, v)
		if (len(b.data) >= batchBytes || len(b.vals) >= batchValues) && !send() {
			return
		}
	}
}

// work checks batches until there are no more or ctx is done.
func (p *pipeline) work(ctx context.Context, c *PayloadChecker, name string) {
	for {
		select {
		case b, ok := <-p.todo:
			if !ok {
				return
			}
			if ctx.Err() == nil {
				c.checkBatch(b, name)
			}
			b.done <- struct{}{}
		case <-ctx.Done():
			return
		}
	}
}

// recycle empties b and returns it to the reader.
func (p *pipeline) recycle(b *batch) {
	if cap(b.data) > keepBytes {
		b.data = nil // a huge value: do not keep its memory
	}
	clear(b.items) // drop references to findings and responses
	b.data, b.vals, b.items, b.err, b.messages = b.data[:0], b.vals[:0], b.items[:0], nil, 0
	p.free <- b
}

// pendingCalls remembers the last maxPending requests with an id, to
// match responses with. The index by id is only built when the first
// response comes: checking a file of requests only costs a ring append
// per request.
type pendingCalls struct {
	ring  []pendingCall
	next  int // oldest entry once the ring is full
	seq   uint64
	index map[string]pendingCall // nil until the first response
}

type pendingCall struct {
	id  string
	m   *method
	seq uint64
}

// remember records that the request with raw id id calls m.
func (p *pendingCalls) remember(id string, m *method) {
	p.seq++
	e := pendingCall{id, m, p.seq}
	if len(p.ring) < maxPending {
		p.ring = append(p.ring, e)
	} else {
		old := p.ring[p.next]
		if q, ok := p.index[old.id]; ok && q.seq == old.seq {
			delete(p.index, old.id)
		}
		p.ring[p.next] = e
		p.next = (p.next + 1) % maxPending
	}
	if p.index != nil {
		p.index[id] = e
	}
}

// take returns the method of the latest remembered request with raw id
// id, and forgets it; nil when there is none.
func (p *pendingCalls) take(id string) *method {
	if p.index == nil {
		p.index = make(map[string]pendingCall, len(p.ring))
		for i := range p.ring { // oldest first, so the latest of an id wins
			e := p.ring[(p.next+i)%len(p.ring)]
			p.index[e.id] = e
		}
	}
	e, ok := p.index[id]
	if !ok {
		return nil
	}
	delete(p.index, id)
	return e.m
}
