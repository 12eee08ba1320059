package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"regexp"
	"testing"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
)

func TestRun(t *testing.T) {
	leakcheck.Check(t)
	ctx := t.Context()

	// Run the service on a free port; it prints its endpoints once listening.
	runCtx, stop := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(runCtx, []string{"-addr", "127.0.0.1:0"}, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`^benchserver: POST (http://\S+), WebSocket (ws://\S+)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("first line %q does not give the endpoints", line)
	}

	hc, err := client.NewHTTP(m[1])
	if err != nil {
		t.Fatal(err)
	}
	wc, err := wsclient.Dial(ctx, m[2])
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []client.Client{hc, wc} {
		url := m[1+i]
		in := EchoParams{Message: "hello", N: 3}
		if got, err := client.CallAs[EchoParams](ctx, c, "echo", in); err != nil || got != in {
			t.Errorf("%s: echo(%+v) = %+v, %v", url, in, got, err)
		}
		if got, err := client.CallAs[int](ctx, c, "add", AddParams{A: 2, B: 40}); err != nil || got != 42 {
			t.Errorf("%s: add(2, 40) = %d, %v", url, got, err)
		}
		if got, err := client.CallAs[int](ctx, c, "add", []int{1, 2}); err != nil || got != 3 {
			t.Errorf("%s: add([1, 2]) = %d, %v", url, got, err)
		}
		for _, bad := range []struct {
			method string
			params any
		}{
			{"add", map[string]any{"a": "1", "b": 2}},                 // wrong type
			{"add", map[string]any{"a": 1}},                           // missing b
			{"echo", map[string]any{"message": "hi", "n": 1.5}},       // not an integer
			{"echo", map[string]any{"message": "hi", "n": 1, "x": 0}}, // unknown param
		} {
			err := c.Call(ctx, bad.method, bad.params, nil)
			if !errors.Is(err, schemarpc.ErrInvalidParams) {
				t.Errorf("%s: %s(%v) = %v, want -32602", url, bad.method, bad.params, err)
			}
		}
		if err := c.Close(); err != nil {
			t.Error(err)
		}
	}

	stop()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}
