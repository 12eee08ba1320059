package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	ledgerV1 = "../../openrpcdiff/testdata/ledger/v1.json"
	ledgerV2 = "../../openrpcdiff/testdata/ledger/v2.json"
)

func TestDiffExitCodes(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		out  string // in stdout
		err  string // in stderr
	}{
		{"same", []string{"diff", ledgerV1, ledgerV1}, 0, "0 breaking, 0 warnings, 0 info", ""},
		{"breaking", []string{"diff", ledgerV1, ledgerV2}, 1, "3 breaking, 3 warnings, 2 info", ""},
		{"fail on none", []string{"diff", "--fail-on", "none", ledgerV1, ledgerV2}, 0, "method-removed", ""},
		{"reverse: removed method", []string{"diff", ledgerV2, ledgerV1}, 1, "breaking: method ledger_getMessagesStatus: method-removed", ""},
		{"warnings only", []string{"diff", "--fail-on", "breaking", "--ignore", "testdata/diff/accept-v2.ignore", ledgerV1, ledgerV2}, 0, "0 breaking, 3 warnings, 2 info (3 ignored)", ""},
		{"fail on warning", []string{"diff", "--fail-on", "warning", "--ignore", "testdata/diff/accept-v2.ignore", ledgerV1, ledgerV2}, 1, "3 warnings", ""},
		{"missing file", []string{"diff", "nope.json", ledgerV1}, 2, "", "nope.json"},
		{"not json", []string{"diff", "testdata/docs/not-json.json", ledgerV1}, 2, "", "not valid JSON"},
		{"not openrpc", []string{"diff", "testdata/diff/no-methods.json", ledgerV1}, 2, "", "not an OpenRPC document"},
		{"directory", []string{"diff", "testdata", ledgerV1}, 2, "", "directory"},
		{"bad format", []string{"diff", "--format", "xml", ledgerV1, ledgerV1}, 2, "", "--format"},
		{"bad fail-on", []string{"diff", "--fail-on", "info", ledgerV1, ledgerV1}, 2, "", "--fail-on"},
		{"one arg", []string{"diff", ledgerV1}, 2, "", "accepts 2 arg"},
		{"both stdin", []string{"diff", "-", "-"}, 2, "", "both be standard input"},
		{"bad ignore", []string{"diff", "--ignore", "testdata/diff/bad.ignore", ledgerV1, ledgerV1}, 2, "", "unknown kind \"method-gone\""},
		{"unused ignore", []string{"diff", "--ignore", "testdata/diff/accept-v2.ignore", ledgerV1, ledgerV1}, 0, "", "matches no change"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, nil, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stdout, tt.out) || !strings.Contains(r.stderr, tt.err) {
				t.Errorf("%v:\n%s", tt.args, r)
			}
		})
	}
}

func TestDiffStdin(t *testing.T) {
	f, err := os.Open(ledgerV1)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := run(t, f, "diff", "-", ledgerV2)
	if r.code != 1 || !strings.Contains(r.stdout, "method ledger_estimateFee: param-branch-removed") {
		t.Errorf("%s", r)
	}
}

func TestDiffFormats(t *testing.T) {
	r := run(t, nil, "diff", "--format", "json", ledgerV1, ledgerV2)
	var out struct {
		Findings []struct {
			Severity, Kind, Method, Message string
			Old, New                        struct {
				Pointer string
				Line    int
			}
		}
		Counts struct{ Breaking, Warning, Info int }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 1 {
		t.Fatalf("%v\n%s", err, r)
	}
	if out.Counts.Breaking != 3 || len(out.Findings) != 8 || out.Findings[0].Old.Pointer == "" || out.Findings[0].Kind == "" {
		t.Errorf("%+v", out)
	}
	for _, f := range out.Findings {
		if f.Old.Line == 0 || f.New.Line == 0 {
			t.Errorf("finding without a line: %+v", f)
		}
	}

	r = run(t, nil, "diff", "--format", "markdown", "--ignore", "testdata/diff/accept-v2.ignore", ledgerV1, ledgerV2)
	for _, want := range []string{"## API changes", "### Breaking changes", "- `ledger_estimateFee`: ", "(`param-branch-removed`) — accepted: ", "### Other changes"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("markdown lacks %q:\n%s", want, r.stdout)
		}
	}

	r = run(t, nil, "diff", "--format", "github", ledgerV1, ledgerV2)
	for _, want := range []string{
		"::error file=" + ledgerV2 + ",line=8,col=84,title=param-branch-removed (ledger_estimateFee)::param \"request\"[].oneOf[0]: ",
		"::warning file=" + ledgerV2 + ",line=4,col=14,title=deprecated-method-removed (ledger_pendingTransactions)::",
		"::warning file=" + ledgerV2 + ",line=5,col=5,title=error-removed (ledger_estimateFee)::",
		"::notice file=",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("github output lacks %q:\n%s", want, r.stdout)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, "::") && !strings.Contains(line, "breaking,") {
			t.Errorf("stray line %q", line)
		}
	}
}

// TestDiffProcessSubstitution runs the built command the way the README's
// CI recipe does, with the old document from a pipe: it is read once and
// never measured.
func TestDiffProcessSubstitution(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal("bash is needed for process substitution")
	}
	bin := filepath.Join(t.TempDir(), "schemarpc")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bash, "-c", `"$0" diff <(cat "$1") "$2"`, bin, ledgerV1, ledgerV2)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(string(out), "3 breaking, 3 warnings, 2 info") {
		t.Errorf("%v\n%s", err, out)
	}
}
