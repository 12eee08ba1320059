package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// serve --nats hands over to schemarpc-nats with the same flags, and says
// how to get it when it is missing.
func TestServe_natsHandsOverToSchemarpcNats(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	r := run(t, nil, "serve", "--nats", "nats://127.0.0.1:4222")
	if r.code != 2 || !strings.Contains(r.stderr, "cd natsbroker && go install ./cmd/schemarpc-nats") {
		t.Fatalf("without schemarpc-nats: exit %d, stderr %s", r.code, r.stderr)
	}

	prog := filepath.Join(dir, "schemarpc-nats")
	if err := os.WriteFile(prog, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var gotPath string
	var gotArgs []string
	prev := execProgram
	execProgram = func(path string, args, _ []string) error {
		gotPath, gotArgs = path, args
		return nil
	}
	t.Cleanup(func() { execProgram = prev })
	r = run(t, nil, "serve", "--nats", "nats://a:4222,nats://b:4222", "--addr", "127.0.0.1:9", "--allowed-origin", "https://x", "--allowed-origin", "https://y")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := []string{prog, "serve", "--addr=127.0.0.1:9", "--allowed-origin=https://x", "--allowed-origin=https://y", "--nats=nats://a:4222,nats://b:4222"}
	if gotPath != prog || strings.Join(gotArgs, " ") != strings.Join(want, " ") {
		t.Fatalf("exec %s %q\nwant %s %q", gotPath, gotArgs, prog, want)
	}
}
