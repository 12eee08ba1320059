// Package wspeer runs one side of a bidirectional JSON-RPC 2.0 connection
// over a WebSocket. Both the server's connections and the WebSocket client are
// built on it, so the two directions share one implementation: one reader
// goroutine; writes by whichever goroutine produced the frame, under a
// write deadline, the frames finished together in one batch (one system
// call on a connection upgraded through [BatchingWriter]); bounded concurrent dispatch of incoming requests
// that never stalls the reader; notifications handled in arrival order; and
// a table of pending outgoing calls routed by id, all failed at once when
// the connection ends.
//
// # Notifications
//
// Notification-only frames wait in a queue of [Config.NotifyQueue] frames
// (default [DefaultNotifyQueue]) for one goroutine that handles them in
// order. When the queue is full the reader applies this policy:
//
//   - While no call of this side waits for an answer, the reader waits for
//     room: TCP flow control then slows the sender down and nothing is lost.
//   - While a call waits (for example one made by a notification handler,
//     which could otherwise never get its answer), answers are routed
//     first: the reader never waits, and the oldest queued frame is dropped
//     to make room. Each drop is counted ([Peer.DroppedNotifications]) and
//     logged at warning level (at most once a second per connection).
//
// When the connection ends with a close handshake (either side's close
// frame), the notifications already read are still handled, for at most
// [Config.DrainTimeout] (default [DefaultDrainTimeout]); their handlers'
// context ends when the drain does. On any other end (a read error, a
// silent peer, a forced stop) the queue is discarded. Notifications not
// handled for either reason are counted and logged too.
package wspeer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"

	"github.com/schemarpc/schemarpc"
)

// Handler answers the incoming requests of one frame.
type Handler interface {
	// ServeMessages handles the request members of one frame (responses have
	// been routed already and are not passed). It returns the encoded answer
	// for the frame, or nil when nothing is to be sent.
	ServeMessages(ctx context.Context, msgs []schemarpc.Message, batch bool) []byte
	// ServeError encodes the answer to a frame that could not be decoded as
	// a whole.
	ServeError(e *schemarpc.Error) []byte
}

// Config holds a peer's settings. Zero values mean: no read limit, no pings,
// no dispatch bound, no batch limit.
type Config struct {
	ReadLimit    int64         // largest incoming message in bytes
	PingInterval time.Duration // how often to ping; <= 0 disables pings and read deadlines
	PongWait     time.Duration // how long to wait for any frame after a ping; default 2×PingInterval
	WriteWait    time.Duration // deadline for one write; default 10s
	MaxInFlight  int           // incoming request frames served at once (16× more may wait); <= 0 = unbounded
	MaxBatch     int           // largest incoming batch
	MaxDepth     int           // deepest nesting of an incoming frame; <= 0 = schemarpc.DefaultMaxDepth
	// Go runs a dispatch worker; nil means the go statement. Servers pass
	// a pool whose goroutines keep their grown stacks.
	Go     func(func())
	Logger *slog.Logger
	// OnUnmatched receives responses that match no pending call (for example
	// an error with a null id). May be nil.
	OnUnmatched func(*schemarpc.Response)
	// NotifyQueue is how many notification-only frames may wait to be
	// handled; <= 0 means DefaultNotifyQueue. See the package doc for what
	// happens when it is full.
	NotifyQueue int
	// DrainTimeout bounds how long the notifications already read are still
	// handled after a close handshake; 0 means DefaultDrainTimeout, < 0
	// discards them at once.
	DrainTimeout time.Duration
	// Dropped counts the notifications received but never handled; nil
	// means a counter of the peer's own. A client shares one across its
	// reconnections.
	Dropped *atomic.Uint64
}

const (
	// DefaultNotifyQueue is how many notification-only frames may wait to
	// be handled.
	DefaultNotifyQueue = 256
	// DefaultDrainTimeout bounds the handling of queued notifications after
	// a close handshake.
	DefaultDrainTimeout = 5 * time.Second
)

// Peer is one end of a WebSocket JSON-RPC connection. Its methods are safe
// for concurrent use.
type Peer struct {
	ws      *websocket.Conn
	handler Handler
	cfg     Config
	dec     schemarpc.Decoder

	writeMu   sync.Mutex // one writer at a time; held for one batch of frames
	closeSent bool       // a close frame went out (guarded by writeMu)
	// writesOver is set by Run once reading has stopped: no frame is
	// written after that (guarded by writeMu).
	writesOver bool
	bc         *batchConn // the connection, when it can batch writes; else nil
	// writeDeadline is the deadline of frame writes (guarded by writeMu);
	// readDeadline that of reads (used by the reader only).
	writeDeadline, readDeadline time.Time
	batchMu                     sync.Mutex // guards writing and next
	writing                     bool       // a goroutine is writing (see write)
	next                        *writeBatch
	nq                          notifyQueue
	// notifyDone is set by the reader when it starts the notification
	// goroutine, and read by Run after the reader has stopped.
	notifyDone chan struct{}
	done       chan struct{} // closed when the peer is terminated
	ioDone     chan struct{} // closed when reading and writing have stopped
	runDone    chan struct{} // closed when Run returns

	ctx    context.Context // of request handlers; canceled when the peer terminates
	cancel context.CancelFunc
	// nctx is the context of notification handlers: it outlives ctx by the
	// drain after a close handshake.
	nctx     context.Context
	ncancel  context.CancelFunc
	graceful bool // ended by a close handshake (guarded by mu)

	mu       sync.Mutex
	pending  map[schemarpc.ID]chan *schemarpc.Response
	groups   map[uint64][]schemarpc.ID // ids of each outstanding frame
	nextGrp  uint64
	err      error // cause of termination
	draining bool

	inflight sync.WaitGroup
	active   int     // frames being served (guarded by mu)
	backlog  []frame // frames waiting for a dispatch slot (guarded by mu)
	termOnce sync.Once
}

// notifyQueue holds notification-only frames for the notification
// goroutine, oldest first.
type notifyQueue struct {
	mu       sync.Mutex
	frames   [][]schemarpc.Message
	lastWarn time.Time     // of the last drop warning (guarded by mu)
	ready    chan struct{} // cap 1: a frame was queued
	space    chan struct{} // cap 1: a frame was taken, or a call started waiting
	// waiting is set while the reader waits for room, so that register
	// wakes it up when a call starts waiting for an answer.
	waiting atomic.Bool
}

// New returns a peer over ws. Call Run to start it.
func New(ws *websocket.Conn, h Handler, cfg Config) *Peer {
	if cfg.WriteWait <= 0 {
		cfg.WriteWait = 10 * time.Second
	}
	if cfg.PingInterval > 0 && cfg.PongWait <= 0 {
		cfg.PongWait = 2 * cfg.PingInterval
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.NotifyQueue <= 0 {
		cfg.NotifyQueue = DefaultNotifyQueue
	}
	if cfg.DrainTimeout == 0 {
		cfg.DrainTimeout = DefaultDrainTimeout
	}
	if cfg.Dropped == nil {
		cfg.Dropped = new(atomic.Uint64)
	}
	p := &Peer{
		ws:      ws,
		handler: h,
		cfg:     cfg,
		dec:     schemarpc.Decoder{MaxBatch: cfg.MaxBatch, MaxDepth: cfg.MaxDepth},
		done:    make(chan struct{}),
		ioDone:  make(chan struct{}),
		runDone: make(chan struct{}),
		pending: make(map[schemarpc.ID]chan *schemarpc.Response),
		groups:  make(map[uint64][]schemarpc.ID),
	}
	if cfg.ReadLimit > 0 {
		ws.SetReadLimit(cfg.ReadLimit)
	}
	p.bc, _ = ws.NetConn().(*batchConn)
	return p
}

// Run serves the connection until it ends, then fails every pending call,
// handles the notifications already read if the connection ended with a
// close handshake (see the package doc), waits for the handlers it started
// (their contexts are canceled) and returns the cause. base is the parent
// of the contexts passed to the handler; notification handlers keep its
// values but not its cancellation, so that they can drain after a close.
func (p *Peer) Run(base context.Context) error {
	defer close(p.runDone)
	ctx, cancel := context.WithCancel(base)
	nctx, ncancel := context.WithCancel(context.WithoutCancel(base))
	defer ncancel()
	p.mu.Lock()
	p.ctx, p.cancel = ctx, cancel
	p.nctx, p.ncancel = nctx, ncancel
	p.mu.Unlock()
	var pingDone chan struct{}
	if p.cfg.PingInterval > 0 {
		pingDone = make(chan struct{})
		go func() {
			defer close(pingDone)
			p.pingLoop()
		}()
	}
	err := p.readLoop()
	p.terminate(err)
	if pingDone != nil {
		<-pingDone
	}
	// Wait for a write in progress to fail, and let no other start.
	p.writeMu.Lock()
	p.writesOver = true
	p.writeMu.Unlock()
	close(p.ioDone)
	p.inflight.Wait() // handlers see their context canceled
	if p.notifyDone != nil {
		<-p.notifyDone
	}
	return p.Err()
}

// Done is closed when the connection has terminated.
func (p *Peer) Done() <-chan struct{} { return p.done }

// DroppedNotifications returns how many notifications were received but
// never handled: dropped by the queue policy, or left in the queue when the
// connection ended (see the package doc).
func (p *Peer) DroppedNotifications() uint64 { return p.cfg.Dropped.Load() }

// Err returns the cause of termination, or nil while the peer runs.
func (p *Peer) Err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

func (p *Peer) terminate(cause error) {
	p.termOnce.Do(func() {
		if cause == nil {
			cause = errors.New("connection closed")
		}
		var ce *websocket.CloseError
		graceful := errors.As(cause, &ce) && p.cfg.DrainTimeout > 0
		p.mu.Lock()
		p.err = cause
		p.graceful = graceful
		pending := p.pending
		p.pending = nil
		p.groups = nil
		cancel, ncancel := p.cancel, p.ncancel
		p.mu.Unlock()
		close(p.done)
		if cancel != nil {
			cancel()
		}
		if ncancel != nil {
			if graceful {
				t := time.AfterFunc(p.cfg.DrainTimeout, ncancel)
				context.AfterFunc(p.nctx, func() { t.Stop() }) // Run's ncancel once drained
			} else {
				ncancel()
			}
		}
		p.ws.Close()
		for _, ch := range pending {
			close(ch) // a closed channel means "connection lost"
		}
	})
}

// abort terminates the peer and cuts a drain under way short.
func (p *Peer) abort(cause error) {
	p.terminate(cause)
	p.mu.Lock()
	ncancel := p.ncancel
	p.mu.Unlock()
	if ncancel != nil {
		ncancel()
	}
}

func (p *Peer) readLoop() error {
	p.ws.SetPongHandler(func(string) error {
		p.extendRead()
		return nil
	})
	for {
		p.extendRead()
		data, err := p.readMessage()
		if err != nil {
			return err
		}
		p.handleFrame(data)
	}
}

// readBuffers holds the buffers messages are read into before they are
// copied out at their exact size (the library's ReadMessage starts every
// message with 512 bytes and grows by doubling).
var readBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledRead is the largest read buffer put back into readBuffers.
const maxPooledRead = 64 << 10

func (p *Peer) readMessage() ([]byte, error) {
	_, r, err := p.ws.NextReader()
	if err != nil {
		return nil, err
	}
	buf := readBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	_, err = buf.ReadFrom(r)
	data := bytes.Clone(buf.Bytes())
	if buf.Cap() <= maxPooledRead {
		readBuffers.Put(buf)
	}
	if err != nil {
		return nil, err
	}
	return data, nil
}

// extendRead gives the other side PongWait from now to send its next
// frame. The deadline moves only once an eighth of PongWait has passed
// since it was set, so that a busy connection does not reset a timer per
// frame; a silent peer is dropped after 7/8 to 8/8 of PongWait.
func (p *Peer) extendRead() {
	if p.cfg.PingInterval <= 0 {
		return
	}
	now := time.Now()
	if p.readDeadline.Sub(now) < p.cfg.PongWait-p.cfg.PongWait/8 {
		p.readDeadline = now.Add(p.cfg.PongWait)
		p.ws.SetReadDeadline(p.readDeadline)
	}
}

func (p *Peer) handleFrame(data []byte) {
	msgs, batch, derr := p.dec.Decode(data)
	if derr != nil {
		p.write(p.handler.ServeError(derr))
		return
	}
	// Route responses; keep requests and invalid members for the handler.
	reqs := msgs
	for i := range msgs {
		if msgs[i].Response != nil {
			reqs = p.routeResponses(msgs)
			break
		}
	}
	if len(reqs) == 0 {
		return
	}
	// One critical section decides the frame's fate; inflight counts the
	// frames being handed over or served, so that Shutdown waits for them.
	notes := allNotifications(reqs)
	f := frame{reqs, batch}
	p.mu.Lock()
	switch {
	case notes:
		// Queued while draining too: what was read is handled, not lost.
		p.inflight.Add(1)
		p.mu.Unlock()
		p.queueNotifications(reqs)
		p.inflight.Done()
	case p.draining:
		p.mu.Unlock()
		p.refuseWith(reqs, batch, "server is shutting down")
	// The reader never waits for a free dispatch slot: it must keep reading
	// so that the answers to calls this side's handlers make are routed.
	// Frames over the bound wait in a backlog (served by a running worker,
	// which holds an inflight count); past the backlog they are refused with
	// CodeOverloaded.
	case p.cfg.MaxInFlight <= 0 || p.active < p.cfg.MaxInFlight:
		p.active++
		p.inflight.Add(1)
		p.mu.Unlock()
		if p.cfg.Go != nil {
			p.cfg.Go(func() { p.work(f) })
		} else {
			go p.work(f)
		}
	case len(p.backlog) < p.cfg.MaxInFlight*backlogFactor:
		p.backlog = append(p.backlog, f)
		p.mu.Unlock()
	default:
		p.mu.Unlock()
		p.refuseWith(reqs, batch, "too many concurrent calls on this connection")
	}
}

// queueNotifications hands a notification-only frame to the notification
// goroutine, started with the first one (only the reader calls this). When
// the queue is full it applies the policy of the package doc.
func (p *Peer) queueNotifications(reqs []schemarpc.Message) {
	q := &p.nq
	if p.notifyDone == nil {
		q.ready = make(chan struct{}, 1)
		q.space = make(chan struct{}, 1)
		p.notifyDone = make(chan struct{})
		go func() {
			defer close(p.notifyDone)
			p.notifyLoop()
		}()
	}
	for {
		q.mu.Lock()
		if len(q.frames) < p.cfg.NotifyQueue {
			break
		}
		q.mu.Unlock()
		// Set before looking at the pending table, so that a call
		// registered after the look wakes the wait below (see register).
		q.waiting.Store(true)
		if p.Pending() > 0 {
			q.waiting.Store(false)
			q.mu.Lock()
			if len(q.frames) >= p.cfg.NotifyQueue {
				p.dropOldestLocked()
			}
			break
		}
		select {
		case <-q.space:
			q.waiting.Store(false)
		case <-p.done:
			q.waiting.Store(false)
			p.discarded(len(reqs), "connection ended")
			return
		}
	}
	q.frames = append(q.frames, reqs)
	q.mu.Unlock()
	signal(q.ready)
}

// dropOldestLocked drops the oldest queued frame to make room for a newer
// one (q.mu is held).
func (p *Peer) dropOldestLocked() {
	q := &p.nq
	n := len(q.frames[0])
	q.frames[0] = nil
	q.frames = q.frames[1:]
	total := p.cfg.Dropped.Add(uint64(n))
	if now := time.Now(); now.Sub(q.lastWarn) >= time.Second {
		q.lastWarn = now
		p.cfg.Logger.Warn("jsonrpc: notification queue full while a call waits for its answer; dropping the oldest notifications",
			"queue", p.cfg.NotifyQueue, "dropped", total)
	}
}

// discarded counts and logs n notifications read but never handled.
func (p *Peer) discarded(n int, why string) {
	if n == 0 {
		return
	}
	total := p.cfg.Dropped.Add(uint64(n))
	p.cfg.Logger.Warn("jsonrpc: notifications not handled: "+why, "count", n, "dropped", total)
}

// signal wakes the goroutine waiting on ch (of capacity 1), if any.
func signal(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// backlogFactor times MaxInFlight frames may wait for a dispatch slot.
const backlogFactor = 16

type frame struct {
	msgs  []schemarpc.Message
	batch bool
}

// work serves f, then frames from the backlog until it is empty.
func (p *Peer) work(f frame) {
	for {
		if out := p.handler.ServeMessages(p.ctx, f.msgs, f.batch); out != nil {
			p.write(out)
		}
		p.mu.Lock()
		if len(p.backlog) == 0 {
			p.active--
			p.mu.Unlock()
			p.inflight.Done()
			return
		}
		f = p.backlog[0] // served under this worker's inflight count
		p.backlog[0] = frame{}
		p.backlog = p.backlog[1:]
		p.mu.Unlock()
	}
}

// notifyLoop handles notification-only frames one at a time, in the
// order they arrived, so that a stream of notifications (ticks, events) is
// seen in order. Requests with ids run concurrently instead. Once the peer
// has terminated it drains the queue (see drain).
func (p *Peer) notifyLoop() {
	q := &p.nq
	for {
		select {
		case <-p.done:
			p.drain()
			return
		default:
		}
		if msgs, ok := p.nextNotification(); ok {
			p.handler.ServeMessages(p.nctx, msgs, false)
			continue
		}
		select {
		case <-q.ready:
		case <-p.done:
			p.drain()
			return
		}
	}
}

// nextNotification takes the oldest queued frame, if any.
func (p *Peer) nextNotification() ([]schemarpc.Message, bool) {
	q := &p.nq
	q.mu.Lock()
	if len(q.frames) == 0 {
		q.mu.Unlock()
		return nil, false
	}
	msgs := q.frames[0]
	q.frames[0] = nil
	q.frames = q.frames[1:]
	q.mu.Unlock()
	signal(q.space)
	return msgs, true
}

// drain handles the frames left in the queue once the peer has terminated:
// after a close handshake, until the queue is empty or DrainTimeout has
// passed since the close (nctx then ends); after any other end, none.
func (p *Peer) drain() {
	p.mu.Lock()
	graceful := p.graceful
	p.mu.Unlock()
	for graceful && p.nctx.Err() == nil {
		msgs, ok := p.nextNotification()
		if !ok {
			return
		}
		p.handler.ServeMessages(p.nctx, msgs, false)
	}
	q := &p.nq
	q.mu.Lock()
	n := 0
	for _, f := range q.frames {
		n += len(f)
	}
	q.frames = nil
	q.mu.Unlock()
	why := "connection ended"
	if graceful {
		why = "drain timeout passed"
	}
	p.discarded(n, why)
}

func allNotifications(msgs []schemarpc.Message) bool {
	for i := range msgs {
		if r := msgs[i].Request; r == nil || !r.IsNotification() {
			return false
		}
	}
	return true
}

// refuseWith answers every call among reqs with CodeOverloaded.
func (p *Peer) refuseWith(reqs []schemarpc.Message, batch bool, why string) {
	var buf []byte
	n := 0
	for _, m := range reqs {
		if m.Request != nil && m.Request.IsNotification() {
			continue
		}
		if n > 0 {
			buf = append(buf, ',')
		}
		id := m.ID
		if m.Request != nil {
			id = m.Request.ID
		}
		buf, _ = (&schemarpc.Response{ID: id, Error: schemarpc.NewError(schemarpc.CodeOverloaded, why)}).AppendJSON(buf)
		n++
	}
	if n == 0 {
		return
	}
	if batch {
		buf = append(append([]byte{'['}, buf...), ']')
	}
	p.write(buf)
}

// routeResponses routes the responses among msgs and returns the rest.
func (p *Peer) routeResponses(msgs []schemarpc.Message) []schemarpc.Message {
	var rest []schemarpc.Message
	for i := range msgs {
		if r := msgs[i].Response; r != nil {
			p.route(r)
			continue
		}
		rest = append(rest, msgs[i])
	}
	return rest
}

func (p *Peer) route(r *schemarpc.Response) {
	if r.ID.IsNull() && r.Error != nil && p.failSoleGroup(r) {
		return
	}
	p.mu.Lock()
	ch, ok := p.pending[r.ID]
	if ok {
		delete(p.pending, r.ID)
	}
	p.mu.Unlock()
	if !ok {
		if p.cfg.OnUnmatched != nil {
			p.cfg.OnUnmatched(r)
		} else {
			p.cfg.Logger.Debug("jsonrpc: response matches no pending call", "id", r.ID.String())
		}
		return
	}
	ch <- r // buffered, never blocks
}

// failSoleGroup handles an error response with a null id: the other side
// refused a frame of ours as a whole (for example a batch over its size
// limit). When exactly one frame is waiting and it is a batch, the error
// can only be about it, so every call of that batch gets it. Otherwise it
// cannot be attributed and goes to OnUnmatched.
func (p *Peer) failSoleGroup(r *schemarpc.Response) bool {
	p.mu.Lock()
	if len(p.groups) != 1 {
		p.mu.Unlock()
		return false
	}
	for _, ids := range p.groups {
		if len(ids) < 2 {
			// A conforming peer echoes the id of a single call; only a
			// batch as a whole (too large, say) is refused with a null id.
			p.mu.Unlock()
			return false
		}
	}
	var chs []chan *schemarpc.Response
	for g, ids := range p.groups {
		delete(p.groups, g)
		for _, id := range ids {
			if ch, ok := p.pending[id]; ok {
				delete(p.pending, id)
				chs = append(chs, ch)
			}
		}
	}
	p.mu.Unlock()
	for _, ch := range chs {
		ch <- &schemarpc.Response{ID: r.ID, Error: r.Error}
	}
	return len(chs) > 0
}

// pingLoop pings the other side every PingInterval until the peer ends.
// Frames are written by the goroutines that produce them (see write), so
// this goroutine exists only when pings are on.
func (p *Peer) pingLoop() {
	t := time.NewTicker(p.cfg.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := p.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(p.cfg.WriteWait)); err != nil {
				p.terminate(err)
				return
			}
		case <-p.done:
			return
		}
	}
}

// write writes one frame, and returns once it is written. Writers take
// turns: while one writes, the frames of the others gather into one batch,
// which the writer then writes too (after the connection's
// [BatchingWriter], with one system call). A write that cannot finish
// within WriteWait (a peer that does not read) ends the connection. Memory
// stays bounded: each frame's writer waits for it.
func (p *Peer) write(frame []byte) error {
	p.batchMu.Lock()
	if p.writing {
		b := p.next
		if b == nil {
			b = &writeBatch{done: make(chan struct{})}
			p.next = b
		}
		b.frames = append(b.frames, frame)
		p.batchMu.Unlock()
		<-b.done
		return b.err
	}
	p.writing = true
	p.batchMu.Unlock()
	p.mu.Lock()
	others := p.active > 1
	p.mu.Unlock()
	if others {
		// Other answers of this connection are being made: let them
		// finish and join the batch, so that they share the system call.
		runtime.Gosched()
	}
	one := [1][]byte{frame}
	err := p.writeFrames(one[:])
	for {
		p.batchMu.Lock()
		b := p.next
		p.next = nil
		if b == nil {
			p.writing = false
			p.batchMu.Unlock()
			return err
		}
		p.batchMu.Unlock()
		b.err = p.writeFrames(b.frames)
		close(b.done)
	}
}

// writeBatch is the frames that gathered while another frame was written.
type writeBatch struct {
	frames [][]byte
	done   chan struct{} // closed once written
	err    error
}

// writeFrames writes frames in order, in one system call when the
// connection allows it.
func (p *Peer) writeFrames(frames [][]byte) error {
	p.writeMu.Lock()
	defer p.writeMu.Unlock()
	select {
	case <-p.done:
		return p.closedErr()
	default:
	}
	if p.closeSent || p.writesOver {
		return p.closedErr()
	}
	// As for reads, the deadline moves once an eighth of WriteWait has
	// passed: a write gets 7/8 to 8/8 of WriteWait.
	if now := time.Now(); p.writeDeadline.Sub(now) < p.cfg.WriteWait-p.cfg.WriteWait/8 {
		p.writeDeadline = now.Add(p.cfg.WriteWait)
		p.ws.SetWriteDeadline(p.writeDeadline)
	}
	if p.bc != nil {
		p.bc.startBatch()
	}
	for _, f := range frames {
		if err := p.ws.WriteMessage(websocket.TextMessage, f); err != nil {
			if p.bc != nil {
				p.bc.flush()
			}
			p.terminate(err)
			return p.closedErr()
		}
	}
	if p.bc != nil {
		if err := p.bc.flush(); err != nil {
			p.terminate(err)
			return p.closedErr()
		}
	}
	return nil
}

func (p *Peer) closedErr() error {
	if err := p.Err(); err != nil {
		return fmt.Errorf("%w: %w", schemarpc.ErrConnClosed, err)
	}
	return schemarpc.ErrConnClosed
}

// Send writes one raw frame (a message or a batch) to the other side. ctx
// is checked before writing; a write that stalls is bounded by the write
// deadline instead.
func (p *Peer) Send(ctx context.Context, frame []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return p.write(frame)
}

// Call sends req (which must have an id) and waits for its response. The
// pending entry is removed when ctx ends first, and every pending call fails
// at once with an error wrapping [schemarpc.ErrConnClosed] when the
// connection is lost.
func (p *Peer) Call(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error) {
	frame, err := req.AppendJSON(nil)
	if err != nil {
		return nil, err
	}
	ids := []schemarpc.ID{req.ID}
	g, chs, err := p.register(ids)
	if err != nil {
		return nil, err
	}
	defer p.groupDone(g)
	if err := p.Send(ctx, frame); err != nil {
		p.forget(req.ID)
		return nil, err
	}
	return p.wait(ctx, req.ID, chs[0])
}

// Batch sends the frame holding a batch whose calls have the given ids and
// waits for all their responses, returned in the order of ids.
func (p *Peer) Batch(ctx context.Context, frame []byte, ids []schemarpc.ID) ([]*schemarpc.Response, error) {
	g, chs, err := p.register(ids)
	if err != nil {
		return nil, err
	}
	defer p.groupDone(g)
	if err := p.Send(ctx, frame); err != nil {
		for _, id := range ids {
			p.forget(id)
		}
		return nil, err
	}
	out := make([]*schemarpc.Response, len(ids))
	for i, id := range ids {
		r, err := p.wait(ctx, id, chs[i])
		if err != nil {
			for _, rest := range ids[i+1:] {
				p.forget(rest)
			}
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func (p *Peer) register(ids []schemarpc.ID) (uint64, []chan *schemarpc.Response, error) {
	chs := make([]chan *schemarpc.Response, len(ids))
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending == nil {
		return 0, nil, p.closedErrLocked()
	}
	for i, id := range ids {
		if _, dup := p.pending[id]; dup {
			for _, prev := range ids[:i] {
				delete(p.pending, prev)
			}
			return 0, nil, fmt.Errorf("jsonrpc: id %s is already pending", id)
		}
		ch := make(chan *schemarpc.Response, 1)
		p.pending[id] = ch
		chs[i] = ch
	}
	p.nextGrp++
	p.groups[p.nextGrp] = ids
	if p.nq.waiting.Load() {
		// The reader waits for room in the notification queue: answers
		// come first, so it must read on.
		signal(p.nq.space)
	}
	return p.nextGrp, chs, nil
}

// groupDone forgets the frame group g once its caller stops waiting.
func (p *Peer) groupDone(g uint64) {
	p.mu.Lock()
	delete(p.groups, g)
	p.mu.Unlock()
}

func (p *Peer) closedErrLocked() error {
	if p.err != nil {
		return fmt.Errorf("%w: %w", schemarpc.ErrConnClosed, p.err)
	}
	return schemarpc.ErrConnClosed
}

func (p *Peer) forget(id schemarpc.ID) {
	p.mu.Lock()
	if p.pending != nil {
		delete(p.pending, id)
	}
	p.mu.Unlock()
}

func (p *Peer) wait(ctx context.Context, id schemarpc.ID, ch chan *schemarpc.Response) (*schemarpc.Response, error) {
	select {
	case r, ok := <-ch:
		if !ok {
			return nil, p.closedErr()
		}
		return r, nil
	case <-ctx.Done():
		p.forget(id)
		return nil, ctx.Err()
	}
}

// Pending returns the number of calls waiting for a response.
func (p *Peer) Pending() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pending)
}

// Shutdown stops dispatching new requests (they are answered with
// CodeOverloaded), waits for the requests in flight to be answered, sends a
// close frame with code 1001 (going away) and waits for the connection to
// end and for Run to return (which includes the drain of the notifications
// already read). When ctx ends first the connection is closed at once and
// the drain is cut short.
func (p *Peer) Shutdown(ctx context.Context) error {
	p.mu.Lock()
	p.draining = true
	p.mu.Unlock()
	idle := make(chan struct{})
	go func() {
		p.inflight.Wait()
		close(idle)
	}()
	select {
	case <-idle:
	case <-ctx.Done():
		p.abort(ctx.Err())
		<-p.ioDone
		return ctx.Err()
	case <-p.done:
	}
	p.Close(ctx, websocket.CloseGoingAway, "server shutting down")
	select {
	case <-p.runDone:
		return nil
	case <-ctx.Done():
		p.abort(ctx.Err())
		return ctx.Err()
	}
}

// Close sends a close frame with code and text after the frame being
// written, if any, then waits until the other side closes too or ctx ends, and tears
// the connection down. It does not wait for running handlers (Run does). It
// must be called after Run has started; it is safe to call more than once.
func (p *Peer) Close(ctx context.Context, code int, text string) error {
	p.writeMu.Lock() // after the frame being written, if any
	if !p.closeSent {
		p.closeSent = true
		msg := websocket.FormatCloseMessage(code, text)
		p.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(p.cfg.WriteWait))
	}
	p.writeMu.Unlock()
	t := time.NewTimer(p.cfg.WriteWait)
	defer t.Stop()
	select {
	case <-p.ioDone:
	case <-ctx.Done():
		p.abort(ctx.Err())
		<-p.ioDone
	case <-t.C:
		p.abort(errors.New("close handshake timed out"))
		<-p.ioDone
	}
	return nil
}
