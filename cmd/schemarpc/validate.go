package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/schemarpc/schemarpc/lint"
)

// validateOptions are the flags of `schemarpc validate`.
type validateOptions struct {
	format string
	failOn string
}

func newValidateCmd() *cobra.Command {
	var o validateOptions
	cmd := &cobra.Command{
		Use:   "validate SPEC [PAYLOAD...]",
		Short: "Check an OpenRPC document, and JSON-RPC payloads against it",
		Long: `Check SPEC, an OpenRPC document of any published version (1.0.0-rc0 to 1.3.x
against the OpenRPC 1.3.2 meta-schema, 1.4.x against the 1.4 meta-schema), then
check each PAYLOAD file against it.

Beyond the meta-schema, the document must be JSON, have unique method names and
param names, list required params before optional ones, have every $ref
resolve (references to other files are read relative to SPEC), and have params
and result schemas that compile, with valid (ECMA-262) patterns. Examples are
checked against the schemas: an example's params pair with the method's params
by position, as the OpenRPC specification orders them.

Every finding has a severity:
  error    the document breaks the meta-schema of its version or a MUST of
           the OpenRPC specification (duplicate method or param names, a
           required param after an optional one, a $ref that names nothing,
           a schema that does not compile, an invalid pattern); a payload
           that breaks the document is an error too, and so are params too
           complex to check (a schemarpc server refuses them);
  warning  the document is valid but probably wrong: an example that
           contradicts its schema, an example too complex to check, an
           unknown format; or a response result too complex to check.

A PAYLOAD file ("-" for standard input) holds JSON-RPC requests, responses or
batches: one value, or many as JSON Lines. Requests are checked against their
method's params (by position or by name, as the server maps them), responses
against the result schema or declared errors of the request with their id.
Files are read as streams, so they may be of any size.

Each finding is one line: SEVERITY: LOCATION: [method NAME: ][POINTER: ]KEYWORD:
MESSAGE, where LOCATION is FILE, FILE:LINE (JSON Lines) or FILE[INDEX] (batch
member); the last line counts them ("2 errors, 5 warnings"). With --format json
each finding is a JSON object on its own line, with a "severity" member, and
there is no summary line.

Exit status: 0 when there is no error (warnings are allowed), 1 when there are
errors (with --fail-on warning: errors or warnings), 2 on a usage error or a
file that cannot be read. Teams that want their examples enforced use
--fail-on warning.`,
		Example: `  schemarpc validate openrpc.json
  schemarpc validate --fail-on warning openrpc.json
  schemarpc validate openrpc.json testdata/requests.jsonl testdata/responses.json
  cat traffic.jsonl | schemarpc validate --format json openrpc.json -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd, o, args[0], args[1:])
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json (one JSON object per finding)")
	cmd.Flags().StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes validate exit 1: error or warning")
	return cmd
}

func runValidate(cmd *cobra.Command, o validateOptions, spec string, payloads []string) error {
	if o.format != "text" && o.format != "json" {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: want text or json", o.format)}
	}
	var failOn lint.Severity
	if err := failOn.UnmarshalText([]byte(o.failOn)); err != nil {
		return &exitError{code: 2, msg: fmt.Sprintf("--fail-on %q: want error or warning", o.failOn)}
	}
	doc, findings, err := lint.CheckFile(cmd.Context(), spec)
	if err != nil {
		if ctxErr := cmd.Context().Err(); ctxErr != nil {
			return ctxErr
		}
		return &exitError{code: 2, msg: err.Error()}
	}
	out := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
	defer out.Flush()
	errs, warns := 0, 0
	report := func(f lint.Finding) {
		if f.Severity == lint.SeverityWarning {
			warns++
		} else {
			errs++
		}
		if o.format == "json" {
			b, _ := json.Marshal(f)
			out.Write(b)
			out.WriteByte('\n')
			return
		}
		out.WriteString(findingLine(f))
		out.WriteByte('\n')
	}
	for _, f := range findings {
		report(f)
	}
	var unreadable []string
	if doc == nil && len(payloads) > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "schemarpc: %s is not a usable OpenRPC document; payloads not checked\n", spec)
	}
	if doc != nil {
		pc := doc.Payloads()
		if len(payloads) > 0 {
			limitPayloadHeap()
		}
		for _, p := range payloads {
			if err := cmd.Context().Err(); err != nil {
				out.Flush()
				return err
			}
			if err := checkPayload(cmd, pc, p, report); err != nil {
				out.Flush()
				if cerr := cmd.Context().Err(); cerr != nil {
					return cerr // interrupted: main reports the signal
				}
				fmt.Fprintln(cmd.ErrOrStderr(), "schemarpc:", err)
				unreadable = append(unreadable, p)
			}
		}
	}
	if o.format == "text" && errs+warns > 0 {
		out.WriteString(summary(errs, warns))
		out.WriteByte('\n')
	}
	if err := out.Flush(); err != nil {
		return err
	}
	switch {
	case len(unreadable) > 0:
		return &exitError{code: 2}
	case errs > 0, failOn == lint.SeverityWarning && warns > 0:
		return &exitError{code: 1}
	}
	return nil
}

// findingLine formats a finding as one line prefixed by its severity.
func findingLine(f lint.Finding) string {
	return f.Severity.String() + ": " + f.String()
}

// tally counts the errors and the warnings among findings.
func tally(findings []lint.Finding) (errs, warns int) {
	for _, f := range findings {
		if f.Severity == lint.SeverityWarning {
			warns++
		} else {
			errs++
		}
	}
	return errs, warns
}

// summary sums findings up: "2 errors, 5 warnings".
func summary(errs, warns int) string {
	return fmt.Sprintf("%d %s, %d %s", errs, plural(errs, "error", "errors"), warns, plural(warns, "warning", "warnings"))
}

// checkPayload checks the payload file p ("-" for standard input).
func checkPayload(cmd *cobra.Command, pc *lint.PayloadChecker, p string, report func(lint.Finding)) error {
	var r io.Reader
	name := p
	if p == "-" {
		r, name = cmd.InOrStdin(), "<stdin>"
	} else {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	if err := pc.Check(cmd.Context(), r, name, report); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// payloadHeapHeadroom is the heap that checking payloads may use above what
// the compiled document holds: a soft limit (see [debug.SetMemoryLimit]) that
// keeps validate's peak memory flat however large the payload files are.
const payloadHeapHeadroom = 40 << 20

// limitPayloadHeap sets the soft memory limit for payload checking, unless
// GOMEMLIMIT is set. It is set only once the document is compiled, and above
// the heap the document holds: a limit below the live heap would make the
// collector run without pause (compiling a large interlinked document took
// 4 times as long under the former fixed 40 MB limit).
func limitPayloadHeap() {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	debug.SetMemoryLimit(int64(ms.HeapAlloc) + payloadHeapHeadroom)
}
