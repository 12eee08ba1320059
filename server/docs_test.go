package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/server"
)

func getDocs(t *testing.T, url string, header http.Header) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestDocsHandler(t *testing.T) {
	s := demo.New(nil)
	ts := httptest.NewServer(s.DocsHandler("/rpc"))
	defer ts.Close()

	resp, body := getDocs(t, ts.URL, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("GET: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{`id="method-subtract" data-method="subtract"`, `name="params"`, `"endpoint":"/rpc","live":true`, " readonly"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'sha256-", "connect-src 'self';"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}

	// Unchanged registry: the same page, and a conditional GET gets 304.
	etag := resp.Header.Get("ETag")
	resp2, _ := getDocs(t, ts.URL, http.Header{"If-None-Match": {etag}})
	if etag == "" || resp2.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %q: status %d, want 304", etag, resp2.StatusCode)
	}

	// A method added while serving shows up.
	s.MustAdd(server.FuncNoParams("late_method", func(context.Context) (int, error) { return 1, nil }))
	resp3, body3 := getDocs(t, ts.URL, http.Header{"If-None-Match": {etag}})
	if resp3.StatusCode != 200 || !strings.Contains(body3, `id="method-late_method"`) || resp3.Header.Get("ETag") == etag {
		t.Errorf("after Add: status %d, page has the new method: %v", resp3.StatusCode, strings.Contains(body3, "late_method"))
	}

	// Not a GET: a JSON error, never HTML.
	r := post(t, ts.URL, "application/json", `{}`)
	if r.status != http.StatusMethodNotAllowed || !strings.Contains(r.body, `"code":-32600`) {
		t.Errorf("POST: %d %s", r.status, r.body)
	}
}

func TestDocsHandlerAbsoluteEndpoint(t *testing.T) {
	ts := httptest.NewServer(demo.New(nil).DocsHandler("https://api.example.com/rpc"))
	defer ts.Close()
	resp, _ := getDocs(t, ts.URL, nil)
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "connect-src 'self' https://api.example.com wss://api.example.com;") {
		t.Errorf("CSP %q does not allow the endpoint", csp)
	}
}
