// Package workpool runs short tasks on goroutines that are kept for reuse.
//
// A fresh goroutine starts with a small stack; a handler that decodes JSON
// through reflection grows it several times, and each growth copies the
// stack. Profiles of the server under load showed that copying as a large
// share of CPU time when every WebSocket frame and every batch worker got a
// new goroutine. A Pool hands tasks to idle goroutines that already have
// grown stacks, and starts a new one only when none is idle.
package workpool

import (
	"sync"
	"time"
)

// DefaultIdleTimeout is how long an idle worker waits for a task before it
// exits.
const DefaultIdleTimeout = 5 * time.Second

// Pool runs tasks on reusable goroutines. The zero Pool is ready to use.
// Its methods are safe for concurrent use.
type Pool struct {
	// IdleTimeout is how long an idle worker waits before exiting;
	// zero means DefaultIdleTimeout.
	IdleTimeout time.Duration

	once  sync.Once
	tasks chan func()
	stop  chan struct{}
	wg    sync.WaitGroup
	mu    sync.Mutex
	done  bool
}

func (p *Pool) init() {
	p.once.Do(func() {
		p.tasks = make(chan func())
		p.stop = make(chan struct{})
	})
}

// Go runs f on an idle worker, or on a new one when none is idle. After
// Stop, f runs on a new goroutine that is not kept.
func (p *Pool) Go(f func()) {
	p.init()
	select {
	case p.tasks <- f:
		return
	default:
	}
	p.mu.Lock()
	if p.done {
		p.mu.Unlock()
		go f()
		return
	}
	p.wg.Add(1)
	p.mu.Unlock()
	go p.worker(f)
}

func (p *Pool) worker(f func()) {
	defer p.wg.Done()
	idle := p.IdleTimeout
	if idle <= 0 {
		idle = DefaultIdleTimeout
	}
	var t *time.Timer
	for {
		f()
		if t == nil {
			t = time.NewTimer(idle)
		} else {
			t.Reset(idle)
		}
		select {
		case f = <-p.tasks:
			t.Stop()
		case <-t.C:
			return
		case <-p.stop:
			t.Stop()
			return
		}
	}
}

// Stop makes idle workers exit at once, and busy ones when their task
// returns; it does not wait for them (see Wait). Later tasks run on
// goroutines of their own. Stop is idempotent.
func (p *Pool) Stop() {
	p.init()
	p.mu.Lock()
	if !p.done {
		p.done = true
		close(p.stop)
	}
	p.mu.Unlock()
}

// Wait waits until every worker has exited: call it after Stop, when no
// task may still be running.
func (p *Pool) Wait() { p.wg.Wait() }
