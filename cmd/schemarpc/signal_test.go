package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain runs the CLI itself when the test binary is started as a
// child by runChild, so that tests can signal a real process.
func TestMain(m *testing.M) {
	if os.Getenv("SCHEMARPC_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// runChild starts the test binary as the CLI with args.
func runChild(t *testing.T, args ...string) (*exec.Cmd, io.WriteCloser, io.Reader, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "SCHEMARPC_TEST_MAIN=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, stdin, stdout, &stderr
}

// validate stops promptly on SIGINT and SIGTERM while it checks a large
// input, with exit status 128+signal and a message (issue 12, item 6).
func TestSignalStopsValidate(t *testing.T) {
	spec := demoDocument(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
		msg  string
	}{
		{syscall.SIGINT, 130, "schemarpc: interrupted by SIGINT\n"},
		{syscall.SIGTERM, 143, "schemarpc: interrupted by SIGTERM\n"},
	} {
		t.Run(tc.msg[len("schemarpc: interrupted by "):len(tc.msg)-1], func(t *testing.T) {
			cmd, stdin, stdout, stderr := runChild(t, "validate", spec, "-")
			// An endless stream of requests, one in ten invalid: the
			// child is busy checking when the signal comes.
			go func() {
				w := bufio.NewWriterSize(stdin, 1<<20)
				for i := 0; ; i++ {
					n := fmt.Sprint(i)
					if i%10 == 0 {
						n = `"x"`
					}
					fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"subtract","params":[%d,%s]}`+"\n", i, i, n)
					if w.Buffered() > 1<<19 && w.Flush() != nil {
						return // the child exited
					}
				}
			}()
			// The first findings show that the child is working.
			out := bufio.NewReader(stdout)
			line, err := out.ReadString('\n')
			if err != nil || !strings.Contains(line, "method subtract") {
				t.Fatalf("first output line %q, %v; stderr %s", line, err, stderr)
			}
			go io.Copy(io.Discard, out)
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case <-exited:
			case <-time.After(10 * time.Second):
				t.Fatalf("still running 10s after %v", tc.sig)
			}
			if got := cmd.ProcessState.ExitCode(); got != tc.code {
				t.Errorf("exit status %d, want %d; stderr %s", got, tc.code, stderr)
			}
			if got := stderr.String(); got != tc.msg {
				t.Errorf("stderr %q, want %q", got, tc.msg)
			}
		})
	}
}

// serve shuts down gracefully on SIGINT and SIGTERM and exits 0.
func TestSignalStopsServeGracefully(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, _, stdout, stderr := runChild(t, "serve", "--addr", "127.0.0.1:0")
			line, err := bufio.NewReader(stdout).ReadString('\n')
			if err != nil || !strings.HasPrefix(line, "schemarpc demo listening on ") {
				t.Fatalf("first output line %q, %v; stderr %s", line, err, stderr)
			}
			go io.Copy(io.Discard, stdout)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			select {
			case err := <-exited:
				if err != nil {
					t.Errorf("serve exited with %v; stderr %s", err, stderr)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("still running 10s after %v", sig)
			}
			if !strings.Contains(stderr.String(), "msg=stopped") {
				t.Errorf("no graceful stop in the log:\n%s", stderr)
			}
		})
	}
}
