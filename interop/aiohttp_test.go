package interop_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/server"
)

// pythonWithAiohttp returns a python3 that can import aiohttp. Without one
// the test skips, or fails when CI=true.
func pythonWithAiohttp(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("PYTHON"), "python3", "/usr/bin/python3"}
	var tried []string
	for _, c := range candidates {
		if c == "" {
			continue
		}
		path, err := exec.LookPath(c)
		if err != nil {
			tried = append(tried, c+": not found")
			continue
		}
		out, err := exec.Command(path, "-c", "import aiohttp; print(aiohttp.__version__)").CombinedOutput()
		if err == nil {
			t.Logf("%s with aiohttp %s", path, bytes.TrimSpace(out))
			return path
		}
		tried = append(tried, path+": no aiohttp")
	}
	msg := "no python3 with aiohttp (" + strings.Join(tried, "; ") + "); install it with: apt-get install python3-aiohttp"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// recorder is a middleware that records the methods of the notifications
// the server handles.
type recorder struct {
	mu     sync.Mutex
	notifs []string
}

func (r *recorder) middleware(next server.Handler) server.Handler {
	return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
		if req.IsNotification() {
			r.mu.Lock()
			r.notifs = append(r.notifs, req.Method)
			r.mu.Unlock()
		}
		return next.ServeRPC(ctx, req)
	})
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Sorted(slices.Values(r.notifs))
}

// TestAiohttpClient runs testdata/aiohttp_client.py, which reads every
// answer the way aiohttp-rpc's JsonRpcClient does (resp.json() with its
// media-type check), against the demo server: a call, a notification, a
// batch and a batch of notifications must all succeed, and the server must
// have handled the three notifications.
func TestAiohttpClient(t *testing.T) {
	python := pythonWithAiohttp(t)
	var rec recorder
	srv := httptest.NewServer(demo.New(nil, server.WithMiddlewares(rec.middleware)))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, filepath.Join("testdata", "aiohttp_client.py"), srv.URL)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aiohttp_client.py: %v\n%s%s", err, out, stderr.String())
	}
	type step struct {
		Step        string `json:"step"`
		Status      int    `json:"status"`
		ContentType string `json:"content_type"`
		Value       any    `json:"value"`
		Error       string `json:"error"`
	}
	var steps []step
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var s step
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		steps = append(steps, s)
	}
	want := []step{
		{Step: "call", Status: 200, ContentType: "application/json", Value: map[string]any{"jsonrpc": "2.0", "id": 1.0, "result": 19.0}},
		{Step: "notify", Status: 204, ContentType: "application/json", Value: nil},
		{Step: "batch", Status: 200, ContentType: "application/json", Value: []any{
			map[string]any{"jsonrpc": "2.0", "id": 2.0, "result": "pong"},
			map[string]any{"jsonrpc": "2.0", "id": 3.0, "result": 7.0},
		}},
		{Step: "batch_notify", Status: 204, ContentType: "application/json", Value: nil},
	}
	if !reflect.DeepEqual(steps, want) {
		t.Errorf("aiohttp saw:\n%s\nwant:\n%+v", out, want)
	}
	if got := rec.seen(); !reflect.DeepEqual(got, []string{"notify_hello", "notify_hello", "notify_sum"}) {
		t.Errorf("server handled notifications %v", got)
	}
}

// TestNotificationWireForm pins what a notification, and a batch of
// notifications only, get over HTTP/1.1: "204 No Content" with
// Content-Type application/json (for clients that decode every answer
// through a media-type-checking JSON reader, such as aiohttp's), no
// Content-Length or Transfer-Encoding, no body, and the connection kept
// alive for the next request.
func TestNotificationWireForm(t *testing.T) {
	srv := httptest.NewServer(demo.New(nil))
	defer srv.Close()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	br := bufio.NewReader(conn)
	post := func(body string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if err := req.Write(conn); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for _, payload := range []string{
		`{"jsonrpc":"2.0","method":"notify_hello","params":[7]}`,
		`[{"jsonrpc":"2.0","method":"notify_hello","params":[8]},{"jsonrpc":"2.0","method":"notify_sum","params":[1,2]}]`,
	} {
		resp := post(payload)
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != "204 No Content" || len(body) != 0 {
			t.Errorf("%s: %s %q, want 204 No Content and no body", payload, resp.Status, body)
		}
		if got := resp.Header.Values("Content-Type"); !reflect.DeepEqual(got, []string{"application/json"}) {
			t.Errorf("%s: Content-Type %q, want application/json", payload, got)
		}
		for _, h := range []string{"Content-Length", "Transfer-Encoding"} {
			if v := resp.Header.Values(h); v != nil {
				t.Errorf("%s: %s %q on a 204", payload, h, v)
			}
		}
		if resp.Close {
			t.Errorf("%s: the server closes the connection after a 204", payload)
		}
	}
	// The same connection still serves: nothing was left unread on it.
	resp := post(`{"jsonrpc":"2.0","method":"ping","id":1}`)
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || string(body) != `{"jsonrpc":"2.0","id":1,"result":"pong"}` {
		t.Errorf("call after the notifications: %s %s", resp.Status, body)
	}
}
