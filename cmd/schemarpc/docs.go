package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/schemarpc/schemarpc/docgen"
)

// docsOptions are the flags of `schemarpc docs`.
type docsOptions struct {
	output string
	format string
	title  string
	server string
}

func newDocsCmd() *cobra.Command {
	var o docsOptions
	cmd := &cobra.Command{
		Use:   "docs SPEC",
		Short: "Generate reference documentation (Markdown or HTML) from an OpenRPC document",
		Long: `Render reference documentation for SPEC, an OpenRPC document of any published
version: a table of contents, and per method its summary and description, a
params table (name, type, required, constraints), the result, the errors and the
examples as request/response JSON; shared schemas are listed once and linked.
References to other files are read relative to SPEC. HTML output is one
self-contained page (no external resource) with a method filter and a try-it
panel per method, which calls --server (else the first http(s) or ws(s) URL
among the document's servers; the reader can change it on the page).

Problems that do not stop rendering, such as a $ref that does not resolve,
are printed to standard error as warnings.`,
		Example: `  schemarpc docs openrpc.json -o docs/api.md
  schemarpc docs --format html openrpc.json > api.html
  schemarpc docs --format html --server https://api.example.com/rpc openrpc.json -o api.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDocs(cmd, o, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.output, "output", "o", "", "write to this file instead of standard output")
	f.StringVar(&o.format, "format", "markdown", "output format: markdown or html")
	f.StringVar(&o.title, "title", "", "heading to use instead of info.title")
	f.StringVar(&o.server, "server", "", "HTML: the JSON-RPC endpoint the try-it panels call (default: the document's first http(s) or ws(s) server)")
	return cmd
}

func runDocs(cmd *cobra.Command, o docsOptions, spec string) error {
	format := docgen.Format(o.format)
	if format != docgen.Markdown && format != docgen.HTML {
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: want markdown or html", o.format)}
	}
	data, err := os.ReadFile(spec)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	var buf bytes.Buffer
	err = docgen.Render(cmd.Context(), &buf, data, docgen.Options{
		Format:   format,
		BaseDir:  filepath.Dir(spec),
		Title:    o.title,
		Endpoint: o.server,
		Warn:     func(msg string) { fmt.Fprintf(cmd.ErrOrStderr(), "schemarpc: warning: %s: %s\n", spec, msg) },
	})
	if ctxErr := cmd.Context().Err(); ctxErr != nil {
		return ctxErr
	}
	if errors.Is(err, docgen.ErrInvalidDocument) {
		return &exitError{code: 1, msg: fmt.Sprintf("%s: %v", spec, err)}
	}
	if err != nil {
		return err
	}
	if o.output != "" && o.output != "-" {
		return os.WriteFile(o.output, buf.Bytes(), 0o644)
	}
	_, err = cmd.OutOrStdout().Write(buf.Bytes())
	return err
}
