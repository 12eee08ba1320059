package openrpcdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Counts tallies findings by severity; ignored findings are counted
// apart.
type Counts struct {
	Breaking int `json:"breaking"`
	Warning  int `json:"warning"`
	Info     int `json:"info"`
	Ignored  int `json:"ignored"`
}

// Count tallies findings.
func Count(findings []Finding) Counts {
	var c Counts
	for _, f := range findings {
		switch {
		case f.Ignored != "":
			c.Ignored++
		case f.Severity == Breaking:
			c.Breaking++
		case f.Severity == Warning:
			c.Warning++
		default:
			c.Info++
		}
	}
	return c
}

// String sums up: "2 breaking, 1 warning, 5 info (3 ignored)".
func (c Counts) String() string {
	s := fmt.Sprintf("%d breaking, %d %s, %d info", c.Breaking, c.Warning, plural(c.Warning, "warning", "warnings"), c.Info)
	if c.Ignored > 0 {
		s += fmt.Sprintf(" (%d ignored)", c.Ignored)
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// WriteText writes one line per finding ([Finding.String], prefixed with
// "ignored " and followed by the reason for ignored ones), then the
// summary line.
func WriteText(w io.Writer, findings []Finding) error {
	var b strings.Builder
	for _, f := range findings {
		if f.Ignored != "" {
			fmt.Fprintf(&b, "ignored %s [%s]\n", f, f.Ignored)
			continue
		}
		b.WriteString(f.String())
		b.WriteByte('\n')
	}
	b.WriteString(Count(findings).String())
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes one JSON object: {"old", "new", "findings", "counts"}.
func WriteJSON(w io.Writer, oldName, newName string, findings []Finding) error {
	if findings == nil {
		findings = []Finding{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Old      string    `json:"old"`
		New      string    `json:"new"`
		Findings []Finding `json:"findings"`
		Counts   Counts    `json:"counts"`
	}{oldName, newName, findings, Count(findings)})
}

// WriteMarkdown writes a changelog section: breaking changes, then
// warnings, then other changes, a bullet each; changes accepted with the
// ignore file stay listed, with their reason.
func WriteMarkdown(w io.Writer, findings []Finding) error {
	var b strings.Builder
	b.WriteString("## API changes\n\n")
	if len(findings) == 0 {
		b.WriteString("No changes to the API.\n")
	}
	for _, sec := range []struct {
		sev   Severity
		title string
	}{{Breaking, "Breaking changes"}, {Warning, "Changes that may break callers"}, {Info, "Other changes"}} {
		var lines []string
		for _, f := range findings {
			if f.Severity != sec.sev {
				continue
			}
			line := "- "
			if f.Method != "" {
				line += "`" + f.Method + "`: "
			}
			if f.Path != "" {
				line += mdEscape(f.Path) + ": "
			}
			line += mdEscape(f.Message) + " (`" + f.Kind + "`)"
			if f.Ignored != "" {
				line += " — accepted: " + mdEscape(f.Ignored)
			}
			lines = append(lines, line)
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(&b, "### %s\n\n%s\n\n", sec.title, strings.Join(lines, "\n"))
	}
	fmt.Fprintf(&b, "_%s_\n", Count(findings))
	_, err := io.WriteString(w, b.String())
	return err
}

var mdReplacer = strings.NewReplacer("\\", "\\\\", "*", "\\*", "_", "\\_", "<", "&lt;", ">", "&gt;", "[", "\\[", "]", "\\]", "|", "\\|", "\n", " ")

func mdEscape(s string) string { return mdReplacer.Replace(s) }

// WriteGitHub writes GitHub Actions workflow commands: "::error" for
// breaking changes, "::warning" for warnings, "::notice" for the rest and
// for ignored findings, each titled with its kind and method and
// attached to file (the new document) at the line and column of the
// change in it, then the summary line.
func WriteGitHub(w io.Writer, file string, findings []Finding) error {
	var b strings.Builder
	for _, f := range findings {
		cmd := "notice"
		switch {
		case f.Ignored != "":
		case f.Severity == Breaking:
			cmd = "error"
		case f.Severity == Warning:
			cmd = "warning"
		}
		title := f.Kind
		if f.Method != "" {
			title += " (" + f.Method + ")"
		}
		msg := f.Message
		if f.Path != "" {
			msg = f.Path + ": " + msg
		}
		msg += " [old " + orRoot(f.Old) + ", new " + orRoot(f.New) + "]"
		if f.Ignored != "" {
			msg = "ignored: " + msg + " — " + f.Ignored
		}
		props := "title=" + ghProperty(title)
		if file != "" && file != "-" {
			if f.New.Line > 0 {
				props = "line=" + strconv.Itoa(f.New.Line) + ",col=" + strconv.Itoa(f.New.Column) + "," + props
			}
			props = "file=" + ghProperty(file) + "," + props
		}
		fmt.Fprintf(&b, "::%s %s::%s\n", cmd, props, ghData(msg))
	}
	b.WriteString(Count(findings).String())
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

var ghDataReplacer = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
var ghPropReplacer = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func ghData(s string) string     { return ghDataReplacer.Replace(s) }
func ghProperty(s string) string { return ghPropReplacer.Replace(s) }
