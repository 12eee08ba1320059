package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"time"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/docgen"
)

// DocsHandler returns a handler serving the server's live API reference:
// one self-contained HTML page (docgen's HTML output, see package docgen)
// rendered from the server's current OpenRPC document, with a method filter
// and a try-it panel per method that calls endpoint over HTTP POST or
// WebSocket.
//
// endpoint is where the server itself is mounted, as a URL relative to the
// page ("/rpc") or an absolute one. With a relative endpoint the page's
// calls are same-origin: HTTP needs no CORS, and the WebSocket's Origin is
// the server's own host, which the default origin check accepts. Nothing
// else is ever requested: the page sends a Content-Security-Policy that
// allows connections to the page's origin and to endpoint only.
//
// The page is rendered on first use and again only after the registry
// changes. Mount it next to the server:
//
//	mux.Handle("/rpc", srv)
//	mux.Handle("GET /docs", srv.DocsHandler("/rpc"))
func (s *Server) DocsHandler(endpoint string) http.Handler {
	return &docsHandler{s: s, endpoint: endpoint}
}

// docsHandler serves the page; it caches the page rendered from one
// version of the server's documents.
type docsHandler struct {
	s        *Server
	endpoint string

	mu   sync.Mutex
	from *documents // the documents page was rendered from
	page *docsPage
}

type docsPage struct {
	html []byte
	etag string
	csp  string
}

func (h *docsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeHTTPError(w, http.StatusMethodNotAllowed, schemarpc.ErrInvalidRequest.WithData("HTTP method "+r.Method+" is not allowed: use GET"))
		return
	}
	p, err := h.current(r)
	if err != nil {
		h.s.cfg.logger.Error("jsonrpc: docs page", "err", err)
		writeHTTPError(w, http.StatusInternalServerError, schemarpc.ErrInternal.WithData("cannot render the API reference"))
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", p.csp)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("ETag", p.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(p.html))
}

// current returns the page for the server's current documents.
func (h *docsHandler) current(r *http.Request) (*docsPage, error) {
	docs, err := h.s.documents()
	if err != nil {
		return nil, err
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.from == docs {
		return h.page, nil
	}
	var buf bytes.Buffer
	err = docgen.Render(r.Context(), &buf, docs.pretty, docgen.Options{Format: docgen.HTML, Endpoint: h.endpoint, Live: true})
	if err != nil {
		return nil, err
	}
	html := buf.Bytes()
	sum := sha256.Sum256(html)
	h.from, h.page = docs, &docsPage{
		html: html,
		etag: `"` + hex.EncodeToString(sum[:16]) + `"`,
		csp:  docsCSP(html, h.endpoint),
	}
	return h.page, nil
}

var (
	inlineScript = regexp.MustCompile(`(?s)<script>(.*?)</script>`)
	inlineStyle  = regexp.MustCompile(`(?s)<style>(.*?)</style>`)
)

// docsCSP returns the page's Content-Security-Policy: its own inline
// script and style (by hash), and connections to its origin and endpoint.
func docsCSP(html []byte, endpoint string) string {
	hashes := func(re *regexp.Regexp) string {
		var out string
		for _, m := range re.FindAllSubmatch(html, -1) {
			sum := sha256.Sum256(m[1])
			out += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		}
		return out
	}
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		for _, scheme := range []string{"http", "ws"} {
			if u.Scheme == "https" || u.Scheme == "wss" {
				scheme += "s"
			}
			connect += " " + scheme + "://" + u.Host
		}
	}
	return "default-src 'none'; script-src" + hashes(inlineScript) + "; style-src" + hashes(inlineStyle) +
		"; img-src data:; connect-src " + connect + "; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}
