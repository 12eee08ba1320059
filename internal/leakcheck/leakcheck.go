// Package leakcheck fails a test that leaves goroutines running, using
// go.uber.org/goleak.
//
// goleak's VerifyNone checks when it is called; Check runs it in a Cleanup
// registered first, so that it runs after the test's other cleanups (which
// close its servers and clients), and ignores the goroutines running when
// the test started. It cannot tell apart goroutines of parallel tests: do
// not use it in tests that call t.Parallel or whose parent runs parallel
// subtests. Goroutines a [workpool.Pool] keeps for reuse count as leaks:
// a server stops its pool in Shutdown and Close.
package leakcheck

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

// Timeout is how long Check lets goroutines take to end. goleak's own
// retries last about half a second, too short for closing handshakes on a
// loaded machine.
const Timeout = 3 * time.Second

// Check snapshots the running goroutines and registers a cleanup that fails
// t when goroutines started since are still running once the test's later
// cleanups have run.
func Check(t testing.TB) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		for deadline := time.Now().Add(Timeout); time.Now().Before(deadline); {
			if goleak.Find(ignore) == nil {
				return
			}
		}
		goleak.VerifyNone(t, ignore)
	})
}
