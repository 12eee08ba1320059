// Command schemarpc serves the demo service, prints and discovers OpenRPC
// documents, validates documents and payloads, generates docs and calls
// methods.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := withSignals(context.Background())
	err := newRootCmd().ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(ctx, err, os.Stderr))
}

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// A signalError is the cause of the command's context when SIGINT or
// SIGTERM stopped it.
type signalError struct{ sig syscall.Signal }

func (e *signalError) Error() string { return "interrupted by " + signalName(e.sig) }

func signalName(s syscall.Signal) string {
	if s == syscall.SIGINT {
		return "SIGINT"
	}
	return "SIGTERM"
}

// withSignals returns a context canceled, with a *signalError as its
// cause, by the first SIGINT or SIGTERM. After that first signal the
// default handling is restored, so a second one ends the process at once.
// stop releases the signals.
func withSignals(parent context.Context) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-ch:
			signal.Stop(ch)
			sig, _ := s.(syscall.Signal)
			cancel(&signalError{sig})
		case <-ctx.Done():
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		cancel(nil)
	}
}

// exitCode prints what err says to stderr and returns the process's exit
// status: 0 without error, the code of an *exitError, 128+n when signal n
// interrupted the command (130 for SIGINT, 143 for SIGTERM), and 2 for any
// other error (usage errors).
func exitCode(ctx context.Context, err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	var se *signalError
	if errors.As(context.Cause(ctx), &se) {
		fmt.Fprintln(stderr, "schemarpc:", se.Error())
		return 128 + int(se.sig)
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "schemarpc:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "schemarpc:", err)
	return 2
}
