package workpool_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/schemarpc/schemarpc/internal/workpool"
)

func TestPool_runsEveryTaskAndReusesWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var p workpool.Pool
		defer p.Stop()
		var n atomic.Int64
		var wg sync.WaitGroup
		for range 1000 {
			wg.Add(1)
			p.Go(func() {
				defer wg.Done()
				n.Add(1)
			})
		}
		wg.Wait()
		if n.Load() != 1000 {
			t.Fatalf("ran %d tasks", n.Load())
		}
		synctest.Wait() // every worker is idle
		before := runtime.NumGoroutine()
		for range 100 {
			wg.Add(1)
			p.Go(wg.Done)
			wg.Wait()
			synctest.Wait() // the worker is idle again: the next task goes to it
		}
		if after := runtime.NumGoroutine(); after > before {
			t.Fatalf("goroutines grew from %d to %d for sequential tasks", before, after)
		}
	})
}

func TestPool_idleWorkersExitAfterTheTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := workpool.Pool{IdleTimeout: time.Minute}
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			p.Go(wg.Done)
		}
		wg.Wait()
		synctest.Wait()
		base := runtime.NumGoroutine()
		time.Sleep(time.Minute - time.Nanosecond)
		synctest.Wait()
		if n := runtime.NumGoroutine(); n != base {
			t.Fatalf("%d workers exited before the idle timeout", base-n)
		}
		time.Sleep(time.Nanosecond)
		start := time.Now()
		p.Wait()
		if d := time.Since(start); d != 0 {
			t.Fatalf("workers outlived the idle timeout by %v", d)
		}
	})
}

// Stop ends idle workers at once and busy ones after their task, without
// waiting for them; tasks given afterwards still run.
func TestPool_stop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var p workpool.Pool
		release := make(chan struct{})
		var finished atomic.Bool
		p.Go(func() { <-release; finished.Store(true) })
		idle := make(chan struct{})
		p.Go(func() { close(idle) })
		<-idle
		synctest.Wait()
		p.Stop() // does not wait for the busy worker
		if finished.Load() {
			t.Fatal("the task finished before it was released")
		}
		close(release)
		start := time.Now()
		p.Wait()
		if d := time.Since(start); d != 0 { // in the bubble, time moves only for timers
			t.Fatalf("workers exited %v after Stop, on their idle timer", d)
		}
		if !finished.Load() {
			t.Fatal("Wait returned before the running task finished")
		}
		ran := make(chan struct{})
		p.Go(func() { close(ran) })
		<-ran
		p.Stop() // idempotent
	})
}
