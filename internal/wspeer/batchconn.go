package wspeer

import (
	"bufio"
	"net"
	"net/http"
	"sync"
	"time"
)

// batchConn is a net.Conn that can hold the bytes written to it and send
// them in one write: the peer holds while it hands several frames to the
// WebSocket library, then flushes, so that answers finished together cost
// one system call instead of one each. Control frames the library writes on
// its own (pongs) go out directly, or join the held bytes in order.
type batchConn struct {
	net.Conn
	mu   sync.Mutex // orders writes; held across a flush
	hold bool
	buf  []byte
	// wd is the write deadline last set: the library sets it before each
	// frame, and a deadline that has not changed costs no timer update.
	wd time.Time
}

func (c *batchConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.Equal(c.wd) {
		return nil
	}
	c.wd = t
	return c.Conn.SetWriteDeadline(t)
}

// maxKeptBuffer is the largest batch buffer kept for the next batch.
const maxKeptBuffer = 64 << 10

func (c *batchConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.hold {
		c.buf = append(c.buf, b...)
		return len(b), nil
	}
	return c.Conn.Write(b)
}

func (c *batchConn) startBatch() {
	c.mu.Lock()
	c.hold = true
	c.mu.Unlock()
}

// flush sends the held bytes and stops holding.
func (c *batchConn) flush() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hold = false
	var err error
	if len(c.buf) > 0 {
		_, err = c.Conn.Write(c.buf)
	}
	if cap(c.buf) > maxKeptBuffer {
		c.buf = nil
	} else {
		c.buf = c.buf[:0]
	}
	return err
}

// BatchingWriter wraps w so that the connection it hijacks for a WebSocket
// upgrade lets a [Peer] serving it write several frames at once. Pass the
// result to websocket.Upgrader.Upgrade.
func BatchingWriter(w http.ResponseWriter) http.ResponseWriter { return hijacker{w} }

type hijacker struct{ http.ResponseWriter }

func (h hijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, brw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	return &batchConn{Conn: c}, brw, nil
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (h hijacker) Unwrap() http.ResponseWriter { return h.ResponseWriter }
