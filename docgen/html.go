package docgen

import (
	"bytes"
	_ "embed"
	"html/template"
	"strings"
)

// The page's style sheet and script, inlined into every page.
var (
	//go:embed assets/docs.css
	pageCSS string
	//go:embed assets/docs.js
	pageJS string
)

// htmlTemplate renders a page as one self-contained HTML document. All
// document text goes through html/template's contextual escaping; the only
// links are same-page fragments.
var htmlTemplate = template.Must(template.New("page").Funcs(template.FuncMap{"rowsOf": rowsOf, "paramRows": paramRows, "searchText": searchText, "tryRows": tryRows}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{{.Title}}</title>
<link rel="icon" href="data:,">
<style>{{.CSS}}</style>
</head>
<body>
<a class="skip" href="#methods">Skip to the methods</a>
<nav class="toc" aria-label="Contents">
<p class="title"><a href="#top">{{.Title}}</a></p>
<label for="method-filter">Filter methods (name, summary, tag)</label>
<input type="search" id="method-filter" placeholder="Filter methods ( / )" autocomplete="off" aria-describedby="method-count">
<p class="count" id="method-count" aria-live="polite">{{len .Methods}} methods</p>
<h2><a href="#methods">Methods</a></h2>
<ul>
{{- range .Methods}}
<li data-method="{{.Name}}" data-target="{{.Anchor}}" data-search="{{searchText .}}"><a href="#{{.Anchor}}"{{if .Deprecated}} class="deprecated"{{end}}>{{.Name}}</a>{{if .Deprecated}} <span class="badge deprecated">deprecated</span>{{end}}</li>
{{- end}}
</ul>
{{- if .Schemas}}
<h2><a href="#schemas">Schemas</a></h2>
<ul>
{{- range .Schemas}}
<li><a href="#{{.Anchor}}">{{.Name}}</a></li>
{{- end}}
</ul>
{{- end}}
</nav>
<main id="top">
<header>
<h1>{{.Title}}</h1>
{{- if or .Version .OpenRPC}}
<p class="meta">{{if .Version}}Version <code>{{.Version}}</code>{{end}}{{if and .Version .OpenRPC}} · {{end}}{{if .OpenRPC}}OpenRPC <code>{{.OpenRPC}}</code>{{end}}</p>
{{- end}}
{{- if .Description}}
<div class="desc">{{.Description}}</div>
{{- end}}
{{- if .Servers}}
<h2 id="servers">Servers</h2>
<ul>
{{- range .Servers}}
<li>{{if .Name}}<strong>{{.Name}}</strong>: {{end}}<code>{{.URL}}</code>{{with or .Summary .Description}} — {{.}}{{end}}</li>
{{- end}}
</ul>
{{- end}}
<details class="console" id="console" hidden>
<summary>Endpoint and request headers</summary>
<label for="rpc-endpoint">Endpoint</label>
<input class="endpoint" id="rpc-endpoint" type="text" value="{{.Endpoint}}"{{if .Live}} readonly{{end}} placeholder="https://api.example.com/rpc" spellcheck="false" aria-describedby="rpc-endpoint-hint">
<p class="hint" id="rpc-endpoint-hint">{{if .Live}}This page is served by the API itself: calls go to this endpoint on the same origin.{{else}}Calls go to this URL (HTTP POST, or WebSocket with ws/wss). From another origin, the server must allow this page's origin (CORS for HTTP, its WebSocket origin check).{{end}}</p>
<label for="rpc-headers">Request headers (one <code>Name: value</code> a line, kept in this browser)</label>
<textarea id="rpc-headers" name="headers" rows="3" spellcheck="false" placeholder="Authorization: Bearer …" aria-describedby="rpc-headers-hint"></textarea>
<p class="hint" id="rpc-headers-hint">Headers are sent with HTTP calls only: browsers cannot set headers on a WebSocket handshake. WebSocket calls carry the browser's cookies for the endpoint's host, so authenticate them with a cookie (or with a token in the endpoint URL's query, if your server reads one).</p>
</details>
</header>
<h2 id="methods">Methods</h2>
{{- if not .Methods}}
<p>This document defines no methods.</p>
{{- end}}
{{- range .Methods}}
<section class="item method" id="{{.Anchor}}" data-method="{{.Name}}"{{if .Deprecated}} data-deprecated{{end}}>
<h3><code>{{.Name}}</code>{{if .Deprecated}} <span class="badge deprecated">deprecated</span>{{end}}</h3>
{{- with .Note}}
<p class="note">{{.}}</p>
{{- end}}
{{- with .Summary}}
<p><strong>{{.}}</strong></p>
{{- end}}
{{- with .Description}}
<div class="desc">{{.}}</div>
{{- end}}
{{- if .Tags}}
<p>{{range .Tags}}<span class="badge">{{.}}</span>{{end}}</p>
{{- end}}
{{- with .ExternalDocs}}
<p class="meta">External documentation: {{.}}</p>
{{- end}}
{{- if not .Note}}
<h4>Parameters</h4>
{{- if eq .ParamStructure "by-position"}}
<p class="meta">Parameters are passed by position (as an array).</p>
{{- else if eq .ParamStructure "by-name"}}
<p class="meta">Parameters are passed by name (as an object).</p>
{{- end}}
{{- if .Params}}
{{template "rows" (paramRows .Params)}}
{{- else}}
<p>None.</p>
{{- end}}
<h4>Result</h4>
{{- if .Result}}
{{template "rows" (rowsOf .Result "Name" false)}}
{{- else}}
<p>None (notification).</p>
{{- end}}
{{- if .Subscriptions}}
<h4>Subscriptions</h4>
{{- range .Subscriptions}}
<h5><code>{{.Name}}</code></h5>
{{- with .Summary}}
<p><strong>{{.}}</strong></p>
{{- end}}
{{- with .Description}}
<div class="desc">{{.}}</div>
{{- end}}
<p class="meta">Parameters (after the name):</p>
{{- if .Params}}
{{template "rows" (rowsOf .Params "Name" true)}}
{{- else}}
<p>None.</p>
{{- end}}
<p class="meta">Events{{with .Notification}}: notifications <code>{{.}}</code> with params <code>{"subscription": id, "result": event}</code>, where event is{{end}}:</p>
{{template "rows" (rowsOf .Event "Name" false)}}
{{- with .End}}
<p class="meta">End: notification <code>{{.}}</code> with params <code>{"subscription": id}</code>, plus <code>"error"</code> when it ended with an error.</p>
{{- end}}
{{- end}}
{{- end}}
{{- if .Errors}}
<h4>Errors</h4>
<table>
<thead><tr><th>Code</th><th>Message</th><th>Data</th></tr></thead>
<tbody>
{{- range .Errors}}
<tr><td>{{.Code}}</td><td>{{.Message}}</td><td>{{with .Data}}<code>{{.}}</code>{{end}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- if .Examples}}
<h4>Examples</h4>
{{- range .Examples}}
<h5>{{.Name}}</h5>
{{- with .Summary}}
<p>{{.}}</p>
{{- end}}
{{- with .Description}}
<div class="desc">{{.}}</div>
{{- end}}
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
{{- with .Request}}
<p>Request:</p>
<pre><code>{{.}}</code></pre>
{{- end}}
{{- with .Response}}
<p>Response:</p>
<pre><code>{{.}}</code></pre>
{{- end}}
{{- end}}
{{- end}}
{{template "try" .}}
{{- end}}
</section>
{{- end}}
{{- if .Schemas}}
<h2 id="schemas">Schemas</h2>
{{- range .Schemas}}
<section class="item" id="{{.Anchor}}">
<h3>{{.Name}}{{if .Deprecated}} <span class="badge deprecated">deprecated</span>{{end}}</h3>
{{- with .Source}}
<p class="source">Defined at <code>{{.}}</code>.</p>
{{- end}}
{{- with .Description}}
<div class="desc">{{.}}</div>
{{- end}}
<p>Type: {{template "type" .Type}}</p>
{{- if .Constraints}}
<p>Constraints: {{template "constraints" .Constraints}}</p>
{{- end}}
{{- if .Rows}}
{{template "rows" (rowsOf .Rows "Property" true)}}
{{- end}}
{{- range .Variants}}
<p><strong>{{.Kind}} variant {{.Index}}:</strong> {{template "type" .Type}}{{with .Description}} — {{.}}{{end}}</p>
{{- if .Rows}}
{{template "rows" (rowsOf .Rows "Property" true)}}
{{- end}}
{{- end}}
</section>
{{- end}}
{{- end}}
</main>
<script type="application/json" id="schemarpc-config">{{.Config}}</script>
<script>{{.JS}}</script>
</body>
</html>
{{define "type"}}{{range .}}{{if .Anchor}}<a href="#{{.Anchor}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}{{end}}{{end}}
{{- define "constraints"}}{{range $i, $c := .}}{{if $i}}, {{end}}{{$c.Key}}{{with $c.Value}}: <code>{{.}}</code>{{end}}{{end}}{{end}}
{{- define "try"}}<form class="try" data-try hidden aria-label="Try {{.Name}}">
<h4>Try it</h4>
<label for="params-{{.Anchor}}">Params (JSON{{if eq .ParamStructure "by-position"}} array{{else if eq .ParamStructure "by-name"}} object{{end}}; Ctrl+Enter sends)</label>
<textarea id="params-{{.Anchor}}" name="params" rows="{{tryRows .TryParams}}" spellcheck="false">{{.TryParams}}</textarea>
<div class="row">
<div><label for="transport-{{.Anchor}}">Transport</label>
<select id="transport-{{.Anchor}}" name="transport"><option value="http">HTTP</option><option value="ws">WebSocket</option></select></div>
<button type="submit" data-send>Send</button>
<span class="status" data-status role="status" aria-live="polite"></span>
</div>
<ul data-violations hidden aria-label="Params violations"></ul>
<pre data-result tabindex="0" aria-label="Response"></pre>
<div data-stream-pane hidden><h5>Notifications received over the WebSocket</h5><ol data-stream aria-live="polite"></ol></div>
</form>
{{- end}}
{{- define "rows"}}<table>
<thead><tr><th>{{.First}}</th><th>Type</th>{{if .Required}}<th>Required</th>{{end}}<th>Constraints</th><th>Description</th></tr></thead>
<tbody>
{{- $req := .Required}}
{{- $param := .Param}}
{{- range .Rows}}
<tr{{if and $param (eq .Depth 0)}} data-param="{{.Name}}"{{end}}><td class="name depth{{.Depth}}"><code>{{.Name}}</code></td><td>{{template "type" .Type}}</td>{{if $req}}<td>{{if .Required}}yes{{else}}no{{end}}</td>{{end}}<td>{{if .Constraints}}<ul class="constraints">{{range .Constraints}}<li>{{.Key}}{{with .Value}}: <code>{{.}}</code>{{end}}</li>{{end}}</ul>{{end}}</td><td class="desc">{{.Description}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}`))

// rowTable is the argument of the "rows" template.
type rowTable struct {
	Param    bool // rows are a method's params: top-level rows carry data-param
	Rows     []row
	First    string
	Required bool
}

// rowsOf builds the argument of the "rows" template.
func rowsOf(rows []row, first string, required bool) rowTable {
	return rowTable{Rows: rows, First: first, Required: required}
}

// paramRows builds the argument of the "rows" template for a method's
// params.
func paramRows(rows []row) rowTable {
	return rowTable{Rows: rows, First: "Name", Required: true, Param: true}
}

// searchText is what the page's filter matches a method against: its name,
// summary and tags, lower-cased.
func searchText(m methodView) string {
	parts := append([]string{m.Name, m.Summary}, m.Tags...)
	return strings.ToLower(strings.Join(parts, " "))
}

// tryRows is the height of a try-it params editor holding s.
func tryRows(s string) int {
	return min(max(strings.Count(s, "\n")+1, 2), 12)
}

// htmlPage is the argument of htmlTemplate.
type htmlPage struct {
	*page
	CSS      template.CSS
	JS       template.JS
	Endpoint string
	Live     bool
	Config   pageConfig
}

// pageConfig is read by the page's script.
type pageConfig struct {
	Endpoint string `json:"endpoint"`
	Live     bool   `json:"live"`
}

func renderHTML(b *bytes.Buffer, p *page, endpoint string, live bool) error {
	methodIDs(p.Methods)
	if endpoint == "" {
		endpoint = defaultEndpoint(p.Servers)
	}
	return htmlTemplate.Execute(b, htmlPage{
		page: p, CSS: template.CSS(pageCSS), JS: template.JS(pageJS),
		Endpoint: endpoint, Live: live,
		Config: pageConfig{Endpoint: endpoint, Live: live},
	})
}

// defaultEndpoint is the first server URL the page can call: an http,
// https, ws or wss URL, or an absolute path.
func defaultEndpoint(servers []serverView) string {
	for _, s := range servers {
		u := strings.ToLower(s.URL)
		for _, prefix := range []string{"http://", "https://", "ws://", "wss://"} {
			if strings.HasPrefix(u, prefix) && !strings.Contains(u, "{") {
				return s.URL
			}
		}
		if strings.HasPrefix(u, "/") && !strings.HasPrefix(u, "//") {
			return s.URL
		}
	}
	return ""
}

// methodIDs gives each method section the id "method-" + its name, as is,
// where the name is safe in an id and a URL fragment and that id is
// unique, so that deep links read like the method (#method-eth_getBalance).
// Other methods keep their slug anchors.
func methodIDs(methods []methodView) {
	taken := map[string]bool{}
	for _, m := range methods {
		taken[m.Anchor] = true
	}
	for i, m := range methods {
		id := "method-" + m.Name
		if id == m.Anchor || !fragmentSafe(m.Name) || taken[id] {
			continue
		}
		delete(taken, m.Anchor)
		taken[id] = true
		methods[i].Anchor = id
	}
}

// fragmentSafe reports whether s is a non-empty run of ASCII letters,
// digits and _ . : -, which need no escaping in an id or a fragment.
func fragmentSafe(s string) bool {
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == ':' || c == '-'
		if !ok {
			return false
		}
	}
	return s != ""
}
