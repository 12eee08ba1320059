package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestFootprint measures the benchserver's memory from outside: the
// resident set of a separate benchserver process before and after 1000
// idle WebSocket connections, and its peak after a batch of 1000 calls.
// It builds the server, so it runs only when SCHEMARPC_FOOTPRINT=1:
//
//	SCHEMARPC_FOOTPRINT=1 go test -run TestFootprint -v ./examples/benchserver
func TestFootprint(t *testing.T) {
	if os.Getenv("SCHEMARPC_FOOTPRINT") != "1" {
		t.Skip("set SCHEMARPC_FOOTPRINT=1 to measure the memory footprint")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc")
	}
	bin := filepath.Join(t.TempDir(), "benchserver")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	const addr = "127.0.0.1:18297"
	cmd := exec.Command(bin, "-addr", addr)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	waitUp(t, "http://"+addr+"/rpc")
	pid := cmd.Process.Pid

	// One call of each kind first, so that lazily built state is counted
	// in the baseline and not in the connections.
	post(t, "http://"+addr+"/rpc", `{"jsonrpc":"2.0","id":1,"method":"add","params":{"a":1,"b":2}}`)
	var b strings.Builder
	b.WriteByte('[')
	for i := range 1000 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"jsonrpc":"2.0","id":%d,"method":"echo","params":{"message":"hello","n":%d}}`, i, i)
	}
	b.WriteByte(']')
	hwmBefore := procKB(t, pid, "VmHWM")
	resp := post(t, "http://"+addr+"/rpc", b.String())
	if !bytes.Contains(resp, []byte(`"id":999`)) {
		t.Fatalf("batch answer: %.200s", resp)
	}
	hwm := procKB(t, pid, "VmHWM")
	t.Logf("batch of 1000 calls: request %d bytes, answer %d bytes; peak RSS %d KiB (before: %d KiB)",
		b.Len(), len(resp), hwm, hwmBefore)
	// Bounds well above the documented figures (+0.7 MiB, 28 KiB), so that
	// only a real regression fails.
	if grew := hwm - hwmBefore; grew > 8<<10 {
		t.Errorf("a 1000-call batch raised peak RSS by %d KiB (documented: about 700 KiB)", grew)
	}

	rssBefore := procKB(t, pid, "VmRSS")
	const n = 1000
	conns := make([]*websocket.Conn, 0, n)
	for range n {
		c, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/rpc", nil)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	// Every connection makes one call, then stays idle.
	for _, c := range conns {
		if err := c.WriteMessage(websocket.TextMessage, []byte(`{"jsonrpc":"2.0","id":1,"method":"add","params":{"a":1,"b":2}}`)); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.ReadMessage(); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(6 * time.Second) // past the worker pool's idle timeout
	rssIdle := procKB(t, pid, "VmRSS")
	t.Logf("idle WebSocket connections: %d; RSS %d KiB -> %d KiB: %.1f KiB per connection",
		n, rssBefore, rssIdle, float64(rssIdle-rssBefore)/n)
	if per := (rssIdle - rssBefore) / n; per > 64 {
		t.Errorf("%d KiB per idle WebSocket connection (documented: about 28 KiB)", per)
	}
	for _, c := range conns {
		c.Close()
	}

}

func waitUp(t *testing.T, url string) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, err := http.Post(url, "application/json", strings.NewReader(`{"jsonrpc":"2.0","method":"add","params":{"a":1,"b":2}}`))
		if err == nil {
			r.Body.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("benchserver did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func post(t *testing.T, url, body string) []byte {
	r, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(r.Body)
	return buf.Bytes()
}

// procKB reads a "kB" field of /proc/<pid>/status.
func procKB(t *testing.T, pid int, field string) int {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}
