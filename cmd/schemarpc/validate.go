package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/schemarpc/schemarpc/lint"
)

// validateOptions are the flags of `schemarpc validate`.
type validateOptions struct {
	format string
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
resolve (references to other files are read relative to SPEC), have params and
result schemas that compile, and examples that match them.

A PAYLOAD file ("-" for standard input) holds JSON-RPC requests, responses or
batches: one value, or many as JSON Lines. Requests are checked against their
method's params (by position or by name, as the server maps them), responses
against the result schema or declared errors of the request with their id.
Files are read as streams, so they may be of any size.

Each finding is one line: LOCATION: [method NAME: ][POINTER: ]KEYWORD: MESSAGE,
where LOCATION is FILE, FILE:LINE (JSON Lines) or FILE[INDEX] (batch member).
With --format json each finding is a JSON object on its own line.

Exit status: 0 when everything is valid, 1 when there are findings, 2 on a
usage error or a file that cannot be read.`,
		Example: `  schemarpc validate openrpc.json
  schemarpc validate openrpc.json testdata/requests.jsonl testdata/responses.json
  cat traffic.jsonl | schemarpc validate --format json openrpc.json -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidate(cmd, o, args[0], args[1:])
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text or json (one JSON object per finding)")
	return cmd
}

func runValidate(cmd *cobra.Command, o validateOptions, spec string, payloads []string) error {
	if o.format != "text" && o.format != "json" {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: want text or json", o.format)}
	}
	doc, findings, err := lint.CheckFile(spec)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	out := bufio.NewWriterSize(cmd.OutOrStdout(), 64<<10)
	defer out.Flush()
	n := 0
	report := func(f lint.Finding) {
		n++
		if o.format == "json" {
			b, _ := json.Marshal(f)
			out.Write(b)
			out.WriteByte('\n')
			return
		}
		out.WriteString(f.String())
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
		for _, p := range payloads {
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
	if err := out.Flush(); err != nil {
		return err
	}
	switch {
	case len(unreadable) > 0:
		return &exitError{code: 2}
	case n > 0:
		if o.format == "text" {
			return &exitError{code: 1, msg: fmt.Sprintf("%d %s", n, plural(n, "finding", "findings"))}
		}
		return &exitError{code: 1}
	}
	return nil
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
