package server_test

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/internal/leakcheck"
	"github.com/schemarpc/schemarpc/server"
)

var update = flag.Bool("update", false, "rewrite the expected lines of the golden transcripts")

// An exchange is one payload of a transcript and its expected answer.
type exchange struct {
	line int    // line of the first --> of the payload
	req  string // payload; consecutive --> lines are joined with newlines
	want string // expected compact answer; "" means no answer (HTTP 204)
}

// parseTranscript reads a transcript: "-->" lines are sent, the "<--" line
// after them is the expected answer, "//" lines and blank lines are
// comments. Consecutive "-->" lines form one payload.
func parseTranscript(t *testing.T, path string) []exchange {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var (
		out     []exchange
		pending []string
		first   int
	)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<24)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "-->"):
			if pending == nil {
				first = n
			}
			pending = append(pending, strings.TrimPrefix(strings.TrimPrefix(line, "-->"), " "))
		case strings.HasPrefix(line, "<--"):
			if pending == nil {
				t.Fatalf("%s:%d: <-- without -->", path, n)
			}
			out = append(out, exchange{line: first, req: strings.Join(pending, "\n"), want: strings.TrimSpace(strings.TrimPrefix(line, "<--"))})
			pending = nil
		case strings.HasPrefix(line, "//"), strings.TrimSpace(line) == "":
			if pending != nil {
				t.Fatalf("%s:%d: --> without <--", path, first)
			}
		default:
			t.Fatalf("%s:%d: line does not start with -->, <-- or //", path, n)
		}
	}
	if pending != nil {
		t.Fatalf("%s:%d: --> without <--", path, first)
	}
	return out
}

// transcriptServer is the server every transcript plays against: a fresh
// demo service accepting batches of up to 10 requests.
func transcriptServer() *server.Server { return demo.New(nil, server.WithMaxBatch(10)) }

// TestTranscripts plays every file in testdata/transcripts over
// Server.Handle in process, over HTTP (one POST per payload) and over one
// WebSocket (one frame per payload), each against a fresh server, and
// compares the answers byte for byte.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/transcripts/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			leakcheck.Check(t)
			xs := parseTranscript(t, path)
			if *update {
				rewriteTranscript(t, path, xs)
				xs = parseTranscript(t, path)
			}
			t.Run("handle", func(t *testing.T) {
				s := transcriptServer()
				defer s.Close() // stops the goroutines batches ran on
				for _, x := range xs {
					check(t, path, x, call(s, x.req))
				}
			})
			t.Run("http", func(t *testing.T) {
				ts := serve(t, transcriptServer())
				for _, x := range xs {
					r := post(t, ts.URL, "application/json", x.req)
					if x.want == "" {
						if r.status != 204 || r.body != "" {
							t.Errorf("%s:%d: got HTTP %d %q, want 204 and no body", path, x.line, r.status, r.body)
						}
						continue
					}
					if r.status != 200 || r.header.Get("Content-Type") != "application/json" {
						t.Errorf("%s:%d: got HTTP %d %q, want 200 application/json", path, x.line, r.status, r.header.Get("Content-Type"))
					}
					check(t, path, x, r.body)
				}
			})
			t.Run("websocket", func(t *testing.T) {
				ts := serve(t, transcriptServer())
				ws := dial(t, ts, nil)
				for _, x := range xs {
					send(t, ws, x.req)
					if x.want == "" {
						// Nothing may come back: the next frame must answer
						// the next request.
						const sync = `{"jsonrpc":"2.0","method":"ping","id":"sync"}`
						if got := roundTrip(t, ws, sync); got != `{"jsonrpc":"2.0","id":"sync","result":"pong"}` {
							t.Errorf("%s:%d: want no answer, got %s", path, x.line, got)
						}
						continue
					}
					check(t, path, x, recv(t, ws))
				}
			})
		})
	}
}

func check(t *testing.T, path string, x exchange, got string) {
	t.Helper()
	if got == x.want {
		return
	}
	if len(got) > 400 && len(x.want) > 400 {
		i := 0
		for i < len(got) && i < len(x.want) && got[i] == x.want[i] {
			i++
		}
		from := max(0, i-80)
		t.Errorf("%s:%d: answers differ at byte %d:\ngot  …%s\nwant …%s", path, x.line, i, got[from:min(len(got), i+80)], x.want[from:min(len(x.want), i+80)])
		return
	}
	t.Errorf("%s:%d:\n--> %s\ngot  %s\nwant %s", path, x.line, x.req, orNone(got), orNone(x.want))
}

func orNone(s string) string {
	if s == "" {
		return "(no answer)"
	}
	return s
}

// rewriteTranscript replaces every "<--" line of path with what a fresh
// server answers in process.
func rewriteTranscript(t *testing.T, path string, xs []exchange) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := transcriptServer()
	lines := strings.Split(string(data), "\n")
	i := 0
	for n, line := range lines {
		if strings.HasPrefix(line, "<--") {
			got := call(s, xs[i].req)
			lines[n] = strings.TrimRight("<-- "+got, " ")
			i++
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}
