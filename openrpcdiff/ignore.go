package openrpcdiff

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// An IgnoreRule accepts the findings of one kind for one method (or every
// method, "*") on purpose, for a reason.
type IgnoreRule struct {
	Kind, Method, Reason string
	Line                 int // in the ignore file
	Used                 bool
}

// ParseIgnore reads an ignore file: one rule a line,
//
//	KIND METHOD REASON...
//
// separated by spaces or tabs, where METHOD may be "*" (every method) and
// "-" (findings without a method), and REASON, the rest of the line, is
// required. Blank lines and lines starting with "#" are comments. An
// unknown kind or a line without a reason is an error naming the line.
func ParseIgnore(r io.Reader, name string) ([]*IgnoreRule, error) {
	var rules []*IgnoreRule
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var errs []string
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 {
			errs = append(errs, fmt.Sprintf("%s:%d: want KIND METHOD REASON, with a reason", name, n))
			continue
		}
		if !KnownKind(fields[0]) {
			errs = append(errs, fmt.Sprintf("%s:%d: unknown kind %q", name, n, fields[0]))
			continue
		}
		rest := strings.TrimSpace(line[len(fields[0]):])
		reason := strings.TrimSpace(rest[len(fields[1]):])
		rules = append(rules, &IgnoreRule{Kind: fields[0], Method: fields[1], Reason: reason, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(errs, "\n"))
	}
	return rules, nil
}

// Apply marks the findings the rules accept, setting their Ignored to
// the rule's reason and the rule's Used.
func Apply(findings []Finding, rules []*IgnoreRule) {
	for i := range findings {
		f := &findings[i]
		for _, r := range rules {
			if r.Kind != f.Kind {
				continue
			}
			if r.Method == "*" || r.Method == f.Method || (r.Method == "-" && f.Method == "") {
				f.Ignored, r.Used = r.Reason, true
				break
			}
		}
	}
}
