package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// The soft memory limit of payload checking sits above the heap the
// compiled document holds: a fixed limit below it made the collector run
// without pause on large documents.
func TestLimitPayloadHeap_aboveLiveHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })

	live := make([]byte, 3*payloadHeapHeadroom/2) // a document's compiled schemas, say
	limitPayloadHeap()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	got := debug.SetMemoryLimit(-1)
	if got == math.MaxInt64 {
		t.Fatal("no memory limit set")
	}
	if got < int64(len(live))+payloadHeapHeadroom {
		t.Errorf("limit %d MB is below the live heap (%d MB) plus the headroom", got>>20, len(live)>>20)
	}
	if got > int64(ms.HeapAlloc)+2*payloadHeapHeadroom {
		t.Errorf("limit %d MB, want about the live heap (%d MB) plus %d MB", got>>20, ms.HeapAlloc>>20, payloadHeapHeadroom>>20)
	}
	runtime.KeepAlive(live)
}

func TestLimitPayloadHeap_GOMEMLIMITWins(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "1GiB")
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	limitPayloadHeap()
	if got := debug.SetMemoryLimit(-1); got != prev {
		t.Errorf("limit changed to %d with GOMEMLIMIT set", got)
	}
}
