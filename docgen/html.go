package docgen

import (
	"bytes"
	"html/template"
)

// htmlTemplate renders a page as one self-contained HTML document. All
// document text goes through html/template's contextual escaping; the only
// links are same-page fragments.
var htmlTemplate = template.Must(template.New("page").Funcs(template.FuncMap{"rowsOf": rowsOf}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
:root { --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --bg-alt: #f6f8fa; --accent: #0969da; --warn: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
nav.toc { position: fixed; top: 0; bottom: 0; left: 0; width: 280px; overflow-y: auto; padding: 16px; border-right: 1px solid var(--border); background: var(--bg-alt); }
nav.toc h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin: 16px 0 4px; }
nav.toc ul { list-style: none; margin: 0; padding: 0; }
nav.toc li { margin: 2px 0; overflow-wrap: anywhere; }
nav.toc .title { font-weight: 600; }
main { margin-left: 280px; padding: 24px 40px; max-width: 1200px; }
section.item { border-top: 1px solid var(--border); padding-top: 8px; margin-top: 32px; }
h1 { margin-top: 0; }
h3 code { font-size: 1em; }
.meta, .source { color: var(--muted); }
.desc { white-space: pre-wrap; }
.badge { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 10px; border: 1px solid var(--border); color: var(--muted); margin-right: 4px; }
.deprecated { color: var(--warn); }
.badge.deprecated { border-color: var(--warn); }
nav.toc a.deprecated { text-decoration: line-through; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border: 1px solid var(--border); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg-alt); }
td.name { white-space: nowrap; }
td.depth1 { padding-left: 24px; } td.depth2 { padding-left: 40px; } td.depth3 { padding-left: 56px; }
ul.constraints { list-style: none; margin: 0; padding: 0; }
pre { background: var(--bg-alt); border: 1px solid var(--border); border-radius: 6px; padding: 12px; overflow-x: auto; }
.note { border-left: 3px solid var(--warn); padding-left: 8px; color: var(--warn); }
@media (max-width: 800px) {
  nav.toc { position: static; width: auto; border-right: 0; border-bottom: 1px solid var(--border); }
  main { margin-left: 0; padding: 16px; }
}
</style>
</head>
<body>
<nav class="toc" aria-label="Contents">
<p class="title"><a href="#top">{{.Title}}</a></p>
<h2><a href="#methods">Methods</a></h2>
<ul>
{{- range .Methods}}
<li><a href="#{{.Anchor}}"{{if .Deprecated}} class="deprecated"{{end}}>{{.Name}}</a></li>
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
</header>
<h2 id="methods">Methods</h2>
{{- if not .Methods}}
<p>This document defines no methods.</p>
{{- end}}
{{- range .Methods}}
<section class="item" id="{{.Anchor}}">
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
{{template "rows" (rowsOf .Params "Name" true)}}
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
</body>
</html>
{{define "type"}}{{range .}}{{if .Anchor}}<a href="#{{.Anchor}}">{{.Text}}</a>{{else}}{{.Text}}{{end}}{{end}}{{end}}
{{- define "constraints"}}{{range $i, $c := .}}{{if $i}}, {{end}}{{$c.Key}}{{with $c.Value}}: <code>{{.}}</code>{{end}}{{end}}{{end}}
{{- define "rows"}}<table>
<thead><tr><th>{{.First}}</th><th>Type</th>{{if .Required}}<th>Required</th>{{end}}<th>Constraints</th><th>Description</th></tr></thead>
<tbody>
{{- $req := .Required}}
{{- range .Rows}}
<tr><td class="name depth{{.Depth}}"><code>{{.Name}}</code></td><td>{{template "type" .Type}}</td>{{if $req}}<td>{{if .Required}}yes{{else}}no{{end}}</td>{{end}}<td>{{if .Constraints}}<ul class="constraints">{{range .Constraints}}<li>{{.Key}}{{with .Value}}: <code>{{.}}</code>{{end}}</li>{{end}}</ul>{{end}}</td><td class="desc">{{.Description}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}`))

// rowTable is the argument of the "rows" template.
type rowTable struct {
	Rows     []row
	First    string
	Required bool
}

// rowsOf builds the argument of the "rows" template.
func rowsOf(rows []row, first string, required bool) rowTable {
	return rowTable{Rows: rows, First: first, Required: required}
}

func renderHTML(b *bytes.Buffer, p *page) error {
	return htmlTemplate.Execute(b, p)
}
