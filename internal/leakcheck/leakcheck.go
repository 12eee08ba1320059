// Package leakcheck finds goroutines that a test leaves running.
//
// Tests that use real sockets (httptest servers, gorilla WebSocket dials)
// call [Check] first; tests of in-memory code run inside synctest instead.
package leakcheck

import (
	"bytes"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// Timeout is how long [Check] waits for extra goroutines to end.
const Timeout = 2 * time.Second

// Check snapshots the running goroutines and registers a cleanup that fails
// t when goroutines started since are still running after the test's other
// cleanups (registered later, so run earlier) have run. It retries for up to
// Timeout before failing with the stacks of the extra goroutines.
//
// Call it first in the test. It cannot tell apart goroutines of parallel
// tests, so do not use it in tests that call t.Parallel or whose parent runs
// parallel subtests.
func Check(t testing.TB) {
	t.Helper()
	before := goroutines()
	t.Cleanup(func() {
		deadline := time.Now().Add(Timeout)
		for {
			var extra []string
			for id, stack := range goroutines() {
				if _, ok := before[id]; !ok {
					extra = append(extra, stack)
				}
			}
			if len(extra) == 0 {
				return
			}
			if time.Now().After(deadline) {
				slices.Sort(extra)
				t.Errorf("leakcheck: %d goroutine(s) leaked:\n\n%s", len(extra), strings.Join(extra, "\n\n"))
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
}

// goroutines returns the stacks of all goroutines by id.
func goroutines() map[string]string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	out := make(map[string]string)
	for g := range bytes.SplitSeq(buf, []byte("\n\n")) {
		s := string(g)
		id, _, ok := strings.Cut(strings.TrimPrefix(s, "goroutine "), " ")
		if !ok || idleWorker(s) {
			continue
		}
		out[id] = s
	}
	return out
}

// idleWorker reports whether the goroutine with stack s is an idle worker
// of a workpool.Pool: a deliberate cache of goroutines, bounded by the
// peak of concurrent tasks and gone after the pool's idle timeout. A worker
// running a task has other frames on top and is still reported.
func idleWorker(s string) bool {
	_, frames, ok := strings.Cut(s, "\n")
	return ok && strings.HasPrefix(frames, "github.com/schemarpc/schemarpc/internal/workpool.(*Pool).worker(")
}
