package wsclient_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/client/wsclient"
	"github.com/schemarpc/schemarpc/server"
)

// The per-call headers on the context given to Dial are sent with the
// handshake, after those of client.WithHeader, which they replace key by
// key.
func TestDialSendsContextHeaders(t *testing.T) {
	got := make(chan http.Header, 1)
	s := server.New(server.WithOnConnect(func(c *server.Conn) { got <- c.Request().Header.Clone() }))
	ts := httptest.NewServer(s)
	defer ts.Close()
	defer s.Close()

	ctx := client.ContextWithHeader(t.Context(), http.Header{"Traceparent": {"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"}, "X-Over": {"ctx"}})
	c, err := wsclient.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http"), client.WithHeader("X-Base", "opt"), client.WithHeader("X-Over", "opt"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h := <-got
	for k, want := range map[string]string{"Traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "X-Base": "opt", "X-Over": "ctx"} {
		if v := h.Values(k); len(v) != 1 || v[0] != want {
			t.Errorf("handshake header %s = %q, want %q", k, v, want)
		}
	}
}
