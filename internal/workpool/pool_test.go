package workpool_test

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/internal/workpool"
)

func TestPool_runsEveryTaskAndReusesWorkers(t *testing.T) {
	var p workpool.Pool
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
	before := runtime.NumGoroutine()
	for range 100 {
		wg.Add(1)
		p.Go(wg.Done)
		wg.Wait() // one at a time: an idle worker takes each
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Fatalf("goroutines grew from %d to %d for sequential tasks", before, after)
	}
	p.Stop()
}

func TestPool_idleWorkersExit(t *testing.T) {
	p := workpool.Pool{IdleTimeout: 10 * time.Millisecond}
	base := runtime.NumGoroutine()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		p.Go(func() { time.Sleep(time.Millisecond); wg.Done() })
	}
	wg.Wait()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			t.Fatalf("%d goroutines still alive after the idle timeout", runtime.NumGoroutine()-base)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestPool_stopWaitsAndLaterTasksStillRun(t *testing.T) {
	var p workpool.Pool
	release := make(chan struct{})
	finished := make(chan struct{})
	p.Go(func() { <-release; close(finished) })
	stopped := make(chan struct{})
	go func() { p.Stop(); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("Stop returned while a task runs")
	case <-time.After(20 * time.Millisecond):
	}
	close(release)
	<-stopped
	<-finished
	ran := make(chan struct{})
	p.Go(func() { close(ran) })
	select {
	case <-ran:
	case <-time.After(time.Second):
		t.Fatal("a task after Stop did not run")
	}
}
