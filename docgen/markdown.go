package docgen

import (
	"bytes"
	"fmt"
	"strings"
)

// mdEscaper backslash-escapes characters with inline meaning in Markdown.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "|", `\|`, "&", `\&`, "~", `\~`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdText escapes plain text for use inline (including table cells).
func mdText(s string) string {
	return mdEscaper.Replace(s)
}

// mdPara escapes plain text that starts a paragraph, where a leading
// character could otherwise start a heading, quote or list.
func mdPara(s string) string {
	s = mdText(s)
	if s != "" && strings.ContainsRune("#>-+=", rune(s[0])) {
		s = `\` + s
	}
	return s
}

// mdCode formats s as a code span. Inside tables a pipe must be escaped
// even within code spans (GFM splits cells first).
func mdCode(s string, inTable bool) string {
	s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
	if inTable {
		s = escapePipes(s)
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") ||
		(len(s) > 1 && strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		s = " " + s + " "
	}
	return fence + s + fence
}

// mdCell prepares Markdown prose (a description) for a table cell: line
// breaks become <br> and unescaped pipes are escaped.
func mdCell(s string) string {
	s = strings.TrimSpace(normalizeNewlines(s))
	s = strings.ReplaceAll(s, "\n", "<br>")
	return escapePipes(s)
}

// escapePipes escapes every "|" not already preceded by an odd number of
// backslashes.
func escapePipes(s string) string {
	if !strings.Contains(s, "|") {
		return s
	}
	var sb strings.Builder
	backslashes := 0
	for _, c := range s {
		if c == '|' && backslashes%2 == 0 {
			sb.WriteByte('\\')
		}
		if c == '\\' {
			backslashes++
		} else {
			backslashes = 0
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

func longestRun(s string, c byte) int {
	longest, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			longest = max(longest, cur)
		} else {
			cur = 0
		}
	}
	return longest
}

// mdType renders a type expression with links to schema sections.
func mdType(t typeExpr) string {
	var sb strings.Builder
	for _, s := range t {
		if s.Anchor != "" {
			fmt.Fprintf(&sb, "[%s](#%s)", mdText(s.Text), s.Anchor)
		} else {
			sb.WriteString(mdText(s.Text))
		}
	}
	return sb.String()
}

func mdConstraints(cs []constraint) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		if c.Value == "" {
			parts[i] = mdText(c.Key)
		} else {
			parts[i] = mdText(c.Key) + ": " + mdCode(c.Value, true)
		}
	}
	return strings.Join(parts, "<br>")
}

// mdBlock writes a fenced code block.
func mdBlock(b *bytes.Buffer, lang, code string) {
	fence := strings.Repeat("`", max(3, longestRun(code, '`')+1))
	fmt.Fprintf(b, "%s%s\n%s\n%s\n\n", fence, lang, code, fence)
}

// mdProse writes a Markdown description as its own paragraph(s).
func mdProse(b *bytes.Buffer, s string) {
	if s = strings.TrimSpace(normalizeNewlines(s)); s != "" {
		b.WriteString(s)
		b.WriteString("\n\n")
	}
}

func mdAnchor(b *bytes.Buffer, id string) {
	fmt.Fprintf(b, "<a id=\"%s\"></a>\n\n", id)
}

func mdRows(b *bytes.Buffer, rows []row, first string, withRequired bool) {
	if withRequired {
		fmt.Fprintf(b, "| %s | Type | Required | Constraints | Description |\n| --- | --- | --- | --- | --- |\n", first)
	} else {
		fmt.Fprintf(b, "| %s | Type | Constraints | Description |\n| --- | --- | --- | --- |\n", first)
	}
	for _, r := range rows {
		name := mdCode(r.Name, true)
		if r.Name == "" {
			name = " "
		}
		fmt.Fprintf(b, "| %s | %s |", name, mdType(r.Type))
		if withRequired {
			req := "no"
			if r.Required {
				req = "yes"
			}
			fmt.Fprintf(b, " %s |", req)
		}
		fmt.Fprintf(b, " %s | %s |\n", mdConstraints(r.Constraints), mdCell(r.Description))
	}
	b.WriteString("\n")
}

func renderMarkdown(b *bytes.Buffer, p *page) {
	fmt.Fprintf(b, "# %s\n\n", mdText(p.Title))
	var meta []string
	if p.Version != "" {
		meta = append(meta, "Version "+mdCode(p.Version, false))
	}
	if p.OpenRPC != "" {
		meta = append(meta, "OpenRPC "+mdCode(p.OpenRPC, false))
	}
	if len(meta) > 0 {
		b.WriteString(strings.Join(meta, " · ") + "\n\n")
	}
	mdProse(b, p.Description)

	if len(p.Servers) > 0 {
		b.WriteString("## Servers\n\n")
		for _, s := range p.Servers {
			line := "- "
			if s.Name != "" {
				line += "**" + mdText(s.Name) + "**: "
			}
			line += mdCode(s.URL, false)
			if d := firstNonEmpty(s.Summary, s.Description); d != "" {
				line += " — " + mdText(d)
			}
			b.WriteString(line + "\n")
		}
		b.WriteString("\n")
	}

	b.WriteString("## Contents\n\n")
	b.WriteString("- [Methods](#methods)\n")
	for _, m := range p.Methods {
		fmt.Fprintf(b, "  - [%s](#%s)", mdCode(m.Name, false), m.Anchor)
		if m.Deprecated {
			b.WriteString(" (deprecated)")
		}
		if m.Summary != "" {
			b.WriteString(" — " + mdText(m.Summary))
		}
		b.WriteString("\n")
	}
	if len(p.Schemas) > 0 {
		b.WriteString("- [Schemas](#schemas)\n")
		for _, s := range p.Schemas {
			fmt.Fprintf(b, "  - [%s](#%s)\n", mdText(s.Name), s.Anchor)
		}
	}
	b.WriteString("\n")

	mdAnchor(b, "methods")
	b.WriteString("## Methods\n\n")
	if len(p.Methods) == 0 {
		b.WriteString("This document defines no methods.\n\n")
	}
	for _, m := range p.Methods {
		mdMethod(b, &m)
	}
	if len(p.Schemas) > 0 {
		mdAnchor(b, "schemas")
		b.WriteString("## Schemas\n\n")
		for _, s := range p.Schemas {
			mdSchema(b, s)
		}
	}
}

func mdMethod(b *bytes.Buffer, m *methodView) {
	mdAnchor(b, m.Anchor)
	fmt.Fprintf(b, "### %s\n\n", mdCode(m.Name, false))
	if m.Deprecated {
		b.WriteString("> **Deprecated.**\n\n")
	}
	if m.Note != "" {
		b.WriteString("> " + mdText(m.Note) + "\n\n")
	}
	if m.Summary != "" {
		b.WriteString(mdPara(m.Summary) + "\n\n")
	}
	mdProse(b, m.Description)
	if len(m.Tags) > 0 {
		tags := make([]string, len(m.Tags))
		for i, t := range m.Tags {
			tags[i] = mdCode(t, false)
		}
		b.WriteString("Tags: " + strings.Join(tags, ", ") + "\n\n")
	}
	if m.ExternalDocs != "" {
		b.WriteString("External documentation: " + mdText(m.ExternalDocs) + "\n\n")
	}
	if m.Note != "" {
		return
	}
	b.WriteString("#### Parameters\n\n")
	switch m.ParamStructure {
	case "by-position":
		b.WriteString("Parameters are passed by position (as an array).\n\n")
	case "by-name":
		b.WriteString("Parameters are passed by name (as an object).\n\n")
	}
	if len(m.Params) == 0 {
		b.WriteString("None.\n\n")
	} else {
		mdRows(b, m.Params, "Name", true)
	}
	b.WriteString("#### Result\n\n")
	if len(m.Result) == 0 {
		b.WriteString("None (notification).\n\n")
	} else {
		mdRows(b, m.Result, "Name", false)
	}
	if len(m.Subscriptions) > 0 {
		mdSubscriptions(b, m.Subscriptions)
	}
	if len(m.Errors) > 0 {
		b.WriteString("#### Errors\n\n| Code | Message | Data |\n| --- | --- | --- |\n")
		for _, e := range m.Errors {
			data := ""
			if e.Data != "" {
				data = mdCode(e.Data, true)
			}
			fmt.Fprintf(b, "| %s | %s | %s |\n", mdText(e.Code), mdText(e.Message), data)
		}
		b.WriteString("\n")
	}
	if len(m.Examples) > 0 {
		b.WriteString("#### Examples\n\n")
		for _, ex := range m.Examples {
			fmt.Fprintf(b, "##### %s\n\n", mdText(ex.Name))
			if ex.Summary != "" {
				b.WriteString(mdPara(ex.Summary) + "\n\n")
			}
			mdProse(b, ex.Description)
			for _, n := range ex.Notes {
				b.WriteString("> " + mdText(n) + "\n\n")
			}
			if ex.Request != "" {
				b.WriteString("Request:\n\n")
				mdBlock(b, "json", ex.Request)
			}
			if ex.Response != "" {
				b.WriteString("Response:\n\n")
				mdBlock(b, "json", ex.Response)
			}
		}
	}
}

func mdSchema(b *bytes.Buffer, s *schemaView) {
	mdAnchor(b, s.Anchor)
	fmt.Fprintf(b, "### %s\n\n", mdText(s.Name))
	if s.Deprecated {
		b.WriteString("> **Deprecated.**\n\n")
	}
	if s.Source != "" {
		b.WriteString("Defined at " + mdCode(s.Source, false) + ".\n\n")
	}
	mdProse(b, s.Description)
	fmt.Fprintf(b, "Type: %s\n\n", mdType(s.Type))
	if len(s.Constraints) > 0 {
		parts := make([]string, len(s.Constraints))
		for i, c := range s.Constraints {
			if c.Value == "" {
				parts[i] = mdText(c.Key)
			} else {
				parts[i] = mdText(c.Key) + ": " + mdCode(c.Value, false)
			}
		}
		b.WriteString("Constraints: " + strings.Join(parts, ", ") + "\n\n")
	}
	if len(s.Rows) > 0 {
		mdRows(b, s.Rows, "Property", true)
	}
	for _, v := range s.Variants {
		fmt.Fprintf(b, "**%s variant %d:** %s", v.Kind, v.Index, mdType(v.Type))
		if v.Description != "" {
			b.WriteString(" — " + mdText(v.Description))
		}
		b.WriteString("\n\n")
		if len(v.Rows) > 0 {
			mdRows(b, v.Rows, "Property", true)
		}
	}
}

// mdSubscriptions renders the x-subscriptions of a subscribe method.
func mdSubscriptions(b *bytes.Buffer, subs []subscriptionView) {
	b.WriteString("#### Subscriptions\n\n")
	for _, sv := range subs {
		fmt.Fprintf(b, "##### %s\n\n", mdCode(sv.Name, false))
		if sv.Summary != "" {
			b.WriteString(mdPara(sv.Summary) + "\n\n")
		}
		mdProse(b, sv.Description)
		b.WriteString("Parameters (after the name):\n\n")
		if len(sv.Params) == 0 {
			b.WriteString("None.\n\n")
		} else {
			mdRows(b, sv.Params, "Name", true)
		}
		if sv.Notification != "" {
			fmt.Fprintf(b, "Events: notifications %s with params `{\"subscription\": id, \"result\": event}`, where event is:\n\n", mdCode(sv.Notification, false))
		} else {
			b.WriteString("Event:\n\n")
		}
		mdRows(b, sv.Event, "Name", false)
		if sv.End != "" {
			fmt.Fprintf(b, "End: notification %s with params `{\"subscription\": id}`, plus `\"error\"` when it ended with an error.\n\n", mdCode(sv.End, false))
		}
	}
}
