package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/docgen"
	"github.com/schemarpc/schemarpc/examples/demo"
	"github.com/schemarpc/schemarpc/server"
)

// One browser serves the whole package; every test opens its own tab.
var (
	browserCtx context.Context
	browserErr error
)

const howTo = "no headless Chromium: install it (sudo apt-get install chromium) or set CHROMIUM to its path"

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.WindowSize(1280, 800),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox) // Chromium refuses to sandbox as root
	}
	if path := browserPath(); path != "" {
		opts = append(opts, chromedp.ExecPath(path))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	start, cancelStart := context.WithTimeout(ctx, 30*time.Second)
	defer cancelStart()
	if browserErr = chromedp.Do(start); browserErr != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintf(os.Stderr, "browsertest: CI=true and the browser cannot start: %v\n%s\n", browserErr, howTo)
			return 1
		}
	}
	browserCtx = ctx
	return m.Run()
}

// browserPath is $CHROMIUM, else the first Chromium found on PATH ("" lets
// chromedp search its own list).
func browserPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// pageLog collects what a tab reports: console errors, exceptions, log
// entries (CSP violations among them) and the URL of every request.
type pageLog struct {
	mu       sync.Mutex
	errors   []string
	requests []string
}

func (l *pageLog) add(list *[]string, s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	*list = append(*list, s)
}

func (l *pageLog) snapshot() (errs, reqs []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.errors...), append([]string(nil), l.requests...)
}

// tab opens a tab in the shared browser, skipping (or, with CI=true,
// failing) the test when there is no browser.
func tab(t *testing.T) (context.Context, *pageLog) {
	t.Helper()
	if browserErr != nil {
		t.Skipf("%s (%v)", howTo, browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx)
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, 30*time.Second)
	t.Cleanup(cancelT)
	l := &pageLog{}
	if err := chromedp.Do(ctx); err != nil { // opens the tab
		t.Fatal(err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, fmt.Sprint(a.Value)+a.Description)
				}
				l.add(&l.errors, "console."+string(e.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			l.add(&l.errors, "exception: "+msg)
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				l.add(&l.errors, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		case *network.EventRequestWillBeSent:
			l.add(&l.requests, e.Request.URL)
		case *network.EventWebSocketCreated:
			l.add(&l.requests, e.URL)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	return ctx, l
}

// demoServer serves the demo as `schemarpc serve` does: /rpc, /docs, and /
// redirecting to /docs.
func demoServer(t *testing.T, opts ...server.Option) *httptest.Server {
	t.Helper()
	rpc := demo.New(nil, opts...)
	ts := httptest.NewServer(mux(rpc))
	t.Cleanup(func() {
		ts.Close()
		rpc.Close()
	})
	return ts
}

// demoMethodCount is the number of methods in the demo service's document,
// which the page must show one section each for.
func demoMethodCount(t *testing.T) int {
	t.Helper()
	rpc := demo.New(nil)
	defer rpc.Close()
	data, err := rpc.OpenRPCJSON()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Methods []json.RawMessage `json:"methods"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Methods) < 11 {
		t.Fatalf("the demo document has %d methods, want at least 11", len(doc.Methods))
	}
	return len(doc.Methods)
}

func mux(rpc *server.Server) *http.ServeMux {
	m := http.NewServeMux()
	m.Handle("/rpc", rpc)
	m.Handle("GET /docs", rpc.DocsHandler("/rpc"))
	m.Handle("GET /{$}", http.RedirectHandler("/docs", http.StatusFound))
	return m
}

func run1(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates js in the page, awaiting a promise, and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return out
}

// poll waits until js is truthy and returns its value.
func poll[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	out, err := chromedp.Run(ctx, chromedp.Poll[T](js, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("waiting for %s: %v", js, err)
	}
	return out
}

// visibleMethods lists the methods whose sections are shown.
const visibleMethods = `Array.from(document.querySelectorAll("section[data-method]")).filter(s => !s.hidden).map(s => s.dataset.method)`

// call fills the try-it form of method and sends it from the keyboard:
// focus on the Send button, then Enter.
func call(t *testing.T, ctx context.Context, method, params, transport string) {
	t.Helper()
	sec := "#method-" + method
	setValue(t, ctx, sec+` textarea[name=params]`, params)
	setValue(t, ctx, sec+` select[name=transport]`, transport)
	run1(t, ctx,
		chromedp.ScrollIntoView(chromedp.CSS(sec+` [data-send]`)),
		chromedp.Focus(chromedp.CSS(sec+` [data-send]`)),
		chromedp.KeyEvent("\r"),
	)
}

// setValue sets the value of the form control sel as a person would, with
// the input and change events.
func setValue(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	s, _ := json.Marshal(sel)
	v, _ := json.Marshal(value)
	eval[bool](t, ctx, `(() => { const el = document.querySelector(`+string(s)+`); el.value = `+string(v)+`;
		el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); return true })()`)
}

// result waits for method's data-result to be filled and decodes it.
func result(t *testing.T, ctx context.Context, method string) map[string]any {
	t.Helper()
	text := poll[string](t, ctx, `document.querySelector("#method-`+method+` [data-result]").textContent`)
	var resp map[string]any
	if err := json.Unmarshal([]byte(text), &resp); err != nil {
		t.Fatalf("data-result is not JSON: %v\n%s", err, text)
	}
	return resp
}

func checkClean(t *testing.T, l *pageLog, origin string) {
	t.Helper()
	errs, reqs := l.snapshot()
	for _, e := range errs {
		t.Errorf("page error: %s", e)
	}
	wsOrigin := "ws" + strings.TrimPrefix(origin, "http")
	for _, u := range reqs {
		if !strings.HasPrefix(u, origin+"/") && !strings.HasPrefix(u, wsOrigin+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("request left the origin %s: %s", origin, u)
		}
	}
}

func TestLoadsCleanFromRootRedirect(t *testing.T) {
	ts := demoServer(t)
	ctx, l := tab(t)
	run1(t, ctx, chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("form[data-try]")))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if loc != ts.URL+"/docs" {
		t.Errorf("/ led to %s, want %s/docs", loc, ts.URL)
	}
	// Every method has its section, hooks and a try-it form.
	n := eval[int](t, ctx, `Array.from(document.querySelectorAll("section[data-method]")).filter(s =>
		s.id === "method-" + s.dataset.method && s.querySelector("form[data-try] textarea[name=params]") &&
		Array.from(s.querySelectorAll("form[data-try] select[name=transport] option")).map(o => o.value).join() === "http,ws" &&
		s.querySelector("form[data-try] button[data-send]") && s.querySelector("form[data-try] [data-result]")).length`)
	if want := demoMethodCount(t); n != want {
		t.Errorf("%d complete try-it forms, want %d (one per demo method)", n, want)
	}
	// Prefilled from the first example.
	params := eval[string](t, ctx, `document.querySelector("#method-subtract textarea[name=params]").value`)
	if !strings.Contains(params, `"minuend": 42`) {
		t.Errorf("subtract's params editor holds %q, want its first example", params)
	}
	checkClean(t, l, ts.URL)
	_, reqs := l.snapshot()
	if len(reqs) != 2 { // / and /docs
		t.Errorf("page load made %d requests, want 2: %q", len(reqs), reqs)
	}
}

func TestSearchFilters(t *testing.T) {
	ts := demoServer(t)
	ctx, l := tab(t)
	run1(t, ctx, chromedp.Navigate(ts.URL+"/docs"), chromedp.WaitVisible(chromedp.CSS(`input[type=search]`)))
	// Keyboard: "/" focuses the filter (DevTools' key events type the "/"
	// even so: clear it); typing filters by name.
	run1(t, ctx, chromedp.KeyEvent("/"))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "method-filter" {
		t.Errorf(`after "/" the focus is on %q, want the filter`, id)
	}
	setValue(t, ctx, `input[type=search]`, "")
	run1(t, ctx, chromedp.KeyEvent("user"))
	got := eval[[]string](t, ctx, visibleMethods)
	if strings.Join(got, ",") != "create_user,get_user_by_uuid" {
		t.Errorf(`filter "user" shows %q`, got)
	}
	toc := eval[int](t, ctx, `document.querySelectorAll("nav.toc li[data-method]:not([hidden])").length`)
	if toc != 2 {
		t.Errorf("contents list %d methods, want 2", toc)
	}
	// By summary: countdown's summary mentions ticks.
	setValue(t, ctx, `input[type=search]`, "")
	run1(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[type=search]`), "tick"))
	if got := eval[[]string](t, ctx, visibleMethods); strings.Join(got, ",") != "countdown" {
		t.Errorf(`filter "tick" shows %q`, got)
	}
	// Escape clears.
	run1(t, ctx, chromedp.SendKeys(chromedp.CSS(`input[type=search]`), "\x1b")) // kb.Escape
	if got, want := eval[[]string](t, ctx, visibleMethods), demoMethodCount(t); len(got) != want {
		t.Errorf("after Escape %d methods shown, want %d", len(got), want)
	}
	checkClean(t, l, ts.URL)
}

func TestSubtractOverHTTP(t *testing.T) {
	ts := demoServer(t)
	ctx, l := tab(t)
	run1(t, ctx, chromedp.Navigate(ts.URL+"/docs"), chromedp.WaitVisible(chromedp.CSS(`#method-subtract [data-send]`)))
	call(t, ctx, "subtract", `{"minuend": 42, "subtrahend": 23}`, "http")
	if resp := result(t, ctx, "subtract"); resp["result"] != 19.0 {
		t.Errorf("subtract answered %v, want 19", resp)
	}
	status := eval[string](t, ctx, `document.querySelector("#method-subtract [data-status]").textContent`)
	if !strings.HasPrefix(status, "HTTP 200 · ") || !strings.HasSuffix(status, " ms") {
		t.Errorf("status %q, want HTTP 200 and the round-trip time", status)
	}
	// Keyboard only: Ctrl+Enter in the editor sends (positional params).
	setValue(t, ctx, `#method-subtract textarea[name=params]`, `[23, 42]`)
	run1(t, ctx,
		chromedp.Focus(chromedp.CSS(`#method-subtract textarea[name=params]`)),
		chromedp.KeyEvent("\r", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
	)
	poll[bool](t, ctx, `document.querySelector("#method-subtract [data-result]").textContent.includes('"result": -19')`)
	checkClean(t, l, ts.URL)
}

func TestBadParamsShowViolation(t *testing.T) {
	ts := demoServer(t)
	ctx, l := tab(t)
	run1(t, ctx, chromedp.Navigate(ts.URL+"/docs#method-create_user"), chromedp.WaitVisible(chromedp.CSS(`#method-create_user [data-send]`)))
	call(t, ctx, "create_user", `{"username": "A", "email": "mike@example.com"}`, "http")
	resp := result(t, ctx, "create_user")
	if e, _ := resp["error"].(map[string]any); e == nil || e["code"] != -32602.0 {
		t.Fatalf("answer %v, want -32602", resp)
	}
	// The violation sits in the username row of the params table.
	v := poll[string](t, ctx, `(document.querySelector('#method-create_user tr[data-param="username"] [data-violation]') || {}).textContent`)
	if !strings.Contains(v, "/username") || !strings.Contains(v, "minLength") {
		t.Errorf("username row shows %q", v)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#method-create_user tr[data-param="email"] [data-violation]').length`); n != 0 {
		t.Errorf("email row shows %d violations, want none", n)
	}
	// By position, the pointer's index names the param.
	call(t, ctx, "subtract", `[1, "x"]`, "ws")
	v = poll[string](t, ctx, `(document.querySelector('#method-subtract tr[data-param="subtrahend"] [data-violation]') || {}).textContent`)
	if !strings.Contains(v, "expected number") {
		t.Errorf("subtrahend row shows %q", v)
	}
	// Invalid JSON is caught before sending.
	call(t, ctx, "ping", `{oops`, "http")
	st := poll[string](t, ctx, `document.querySelector("#method-ping [data-status]").textContent`)
	if !strings.Contains(st, "not valid JSON") {
		t.Errorf("status %q", st)
	}
	checkClean(t, l, ts.URL)
}

func TestCountdownOverWebSocketListsTicks(t *testing.T) {
	ts := demoServer(t)
	ctx, l := tab(t)
	run1(t, ctx, chromedp.Navigate(ts.URL+"/docs"), chromedp.WaitVisible(chromedp.CSS(`#method-countdown [data-send]`)))
	call(t, ctx, "countdown", `{"n": 3}`, "ws")
	if resp := result(t, ctx, "countdown"); resp["result"] != 3.0 {
		t.Errorf("countdown answered %v", resp)
	}
	ticks := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#method-countdown [data-stream] li")).map(li => li.textContent)`)
	want := []string{
		`{"jsonrpc":"2.0","method":"tick","params":{"remaining":2}}`,
		`{"jsonrpc":"2.0","method":"tick","params":{"remaining":1}}`,
		`{"jsonrpc":"2.0","method":"tick","params":{"remaining":0}}`,
	}
	if strings.Join(ticks, "\n") != strings.Join(want, "\n") {
		t.Errorf("stream pane lists\n%s\nwant\n%s", strings.Join(ticks, "\n"), strings.Join(want, "\n"))
	}
	if st := eval[string](t, ctx, `document.querySelector("#method-countdown [data-status]").textContent`); !strings.HasPrefix(st, "WebSocket · ") {
		t.Errorf("status %q", st)
	}
	checkClean(t, l, ts.URL)
}

func TestDeepLinkScrolls(t *testing.T) {
	ts := demoServer(t)
	ctx, l := tab(t)
	run1(t, ctx, chromedp.Navigate(ts.URL+"/docs#method-get_data"), chromedp.WaitVisible(chromedp.CSS(`#method-get_data`)))
	top := poll[float64](t, ctx, `(() => { const r = document.getElementById("method-get_data").getBoundingClientRect().top; return window.scrollY > 0 && Math.abs(r) < 2 ? r + 10 : false })()`) - 10 // +10: never a falsy 0
	if top < -2 || top > 2 {
		t.Errorf("#method-get_data at %v px from the top", top)
	}
	checkClean(t, l, ts.URL)
}

// TestStaticPage: `schemarpc docs --format html --server URL` output, here
// served next to the API, calls the endpoint it names.
func TestStaticPage(t *testing.T) {
	rpc := demo.New(nil)
	var page []byte
	m := mux(rpc)
	m.HandleFunc("GET /static.html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	ts := httptest.NewServer(m)
	defer ts.Close()
	defer rpc.Close()
	page = renderStatic(t, rpc, ts.URL+"/rpc")
	ctx, l := tab(t)
	run1(t, ctx, chromedp.Navigate(ts.URL+"/static.html"), chromedp.WaitVisible(chromedp.CSS(`#method-subtract [data-send]`)))
	if ro := eval[bool](t, ctx, `document.getElementById("rpc-endpoint").readOnly`); ro {
		t.Error("the static page's endpoint is read-only")
	}
	call(t, ctx, "subtract", `{"minuend": 42, "subtrahend": 23}`, "http")
	if resp := result(t, ctx, "subtract"); resp["result"] != 19.0 {
		t.Errorf("subtract answered %v", resp)
	}
	call(t, ctx, "countdown", `{"n": 2}`, "ws")
	if resp := result(t, ctx, "countdown"); resp["result"] != 2.0 {
		t.Errorf("countdown answered %v", resp)
	}
	checkClean(t, l, ts.URL)
}

// TestHeadersPersistAndAreSent: the headers editor survives a reload and its
// headers reach the server with HTTP calls.
func TestHeadersPersistAndAreSent(t *testing.T) {
	got := make(chan string, 4)
	rpc := demo.New(nil, server.WithMiddlewares(func(next server.Handler) server.Handler {
		return server.HandlerFunc(func(ctx context.Context, req *schemarpc.Request) (any, error) {
			if r := server.RequestFromContext(ctx); r != nil {
				got <- r.Header.Get("Authorization")
			}
			return next.ServeRPC(ctx, req)
		})
	}))
	ts := httptest.NewServer(mux(rpc))
	defer ts.Close()
	defer rpc.Close()
	ctx, l := tab(t)
	run1(t, ctx, chromedp.Navigate(ts.URL+"/docs"), chromedp.WaitVisible(chromedp.CSS(`#console`)),
		chromedp.Focus(chromedp.CSS(`#console summary`)), chromedp.KeyEvent("\r"),
		chromedp.SendKeys(chromedp.CSS(`#rpc-headers`), "Authorization: Bearer t0ken"),
		chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#method-ping [data-send]`)))
	if v := eval[string](t, ctx, `document.getElementById("rpc-headers").value`); v != "Authorization: Bearer t0ken" {
		t.Errorf("after reload the headers editor holds %q", v)
	}
	call(t, ctx, "ping", ``, "http")
	result(t, ctx, "ping")
	if h := <-got; h != "Bearer t0ken" {
		t.Errorf("server got Authorization %q", h)
	}
	checkClean(t, l, ts.URL)
}

// renderStatic renders rpc's document as `schemarpc docs --format html
// --server endpoint` does.
func renderStatic(t *testing.T, rpc *server.Server, endpoint string) []byte {
	t.Helper()
	doc, err := rpc.OpenRPCJSON()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := docgen.Render(context.Background(), &buf, doc, docgen.Options{Format: docgen.HTML, Endpoint: endpoint}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
