package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/schemarpc/schemarpc/openrpcdiff"
)

// diffOptions are the flags of `schemarpc diff`.
type diffOptions struct {
	format string
	failOn string
	ignore string
}

func newDiffCmd() *cobra.Command {
	var o diffOptions
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Report the changes between two OpenRPC documents that break callers",
		Long: `Compare two OpenRPC documents, OLD and NEW (any version validate reads;
"-" for standard input, and process substitution works:
schemarpc diff <(git show main:openrpc.json) openrpc.json), from the side of
OLD's callers: params are what callers send, so NEW must accept all OLD
accepted; results are what they receive, so NEW must not return what OLD
did not. Schemas are compared after resolving $refs (moving a schema into
components, or renaming a component, is no change), oneOf/anyOf branch by
branch.

Each change is one finding, with a severity (breaking, warning, info), a
kind (a stable identifier, such as method-removed or param-required-added),
the method, the JSON pointer in each document and a message. Text output is
one line each, then a count; --format json is one JSON object, markdown a
changelog section, github GitHub Actions annotations.

--ignore FILE accepts changes on purpose: one "KIND METHOD REASON" a line
(METHOD "*" for every method), "#" comments. Accepted findings are still
shown, marked ignored, and do not fail the command; rules that match
nothing are reported on standard error.

Exit status: 0 when nothing breaks a caller of OLD, 1 when something does
(with --fail-on warning: or a warning; --fail-on none: never), 2 on a usage
error, an unreadable file or one that is not an OpenRPC document.`,
		Example: `  schemarpc diff v1/openrpc.json openrpc.json
  schemarpc diff <(git show origin/main:openrpc.json) openrpc.json
  schemarpc diff --format markdown --fail-on none old.json new.json >> CHANGELOG.md
  schemarpc diff --format github --ignore .openrpc-accepted base.json openrpc.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiff(cmd, o, args[0], args[1])
		},
	}
	cmd.Flags().StringVar(&o.format, "format", "text", "output format: text, json, markdown or github")
	cmd.Flags().StringVar(&o.failOn, "fail-on", "breaking", "lowest severity that makes diff exit 1: breaking, warning or none")
	cmd.Flags().StringVar(&o.ignore, "ignore", "", "file of accepted changes: KIND METHOD REASON a line")
	return cmd
}

func runDiff(cmd *cobra.Command, o diffOptions, oldPath, newPath string) error {
	switch o.format {
	case "text", "json", "markdown", "github":
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: want text, json, markdown or github", o.format)}
	}
	failOn := openrpcdiff.Breaking + 1
	if o.failOn != "none" {
		if err := failOn.UnmarshalText([]byte(o.failOn)); err != nil || failOn == openrpcdiff.Info {
			return &exitError{code: 2, msg: fmt.Sprintf("--fail-on %q: want breaking, warning or none", o.failOn)}
		}
	}
	if oldPath == "-" && newPath == "-" {
		return &exitError{code: 2, msg: "OLD and NEW cannot both be standard input"}
	}
	var rules []*openrpcdiff.IgnoreRule
	if o.ignore != "" {
		f, err := os.Open(o.ignore)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		rules, err = openrpcdiff.ParseIgnore(f, o.ignore)
		f.Close()
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	}
	oldDoc, err := loadDiffDoc(cmd, oldPath)
	if err != nil {
		return err
	}
	defer oldDoc.Close()
	newDoc, err := loadDiffDoc(cmd, newPath)
	if err != nil {
		return err
	}
	defer newDoc.Close()
	for _, d := range []*openrpcdiff.Document{oldDoc, newDoc} {
		if errs, _ := tally(d.Lint); errs > 0 {
			fmt.Fprintf(cmd.ErrOrStderr(), "schemarpc: note: %s has %d validate %s; diff compares what it can read (run schemarpc validate %s)\n",
				d.Name, errs, plural(errs, "error", "errors"), d.Name)
		}
	}
	findings := openrpcdiff.Compare(oldDoc, newDoc)
	openrpcdiff.Apply(findings, rules)
	for _, r := range rules {
		if !r.Used {
			fmt.Fprintf(cmd.ErrOrStderr(), "schemarpc: %s:%d: %s %s matches no change; remove it\n", o.ignore, r.Line, r.Kind, r.Method)
		}
	}
	out := bufio.NewWriter(cmd.OutOrStdout())
	switch o.format {
	case "json":
		err = openrpcdiff.WriteJSON(out, oldPath, newPath, findings)
	case "markdown":
		err = openrpcdiff.WriteMarkdown(out, findings)
	case "github":
		err = openrpcdiff.WriteGitHub(out, newPath, findings)
	default:
		err = openrpcdiff.WriteText(out, findings)
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		return err
	}
	c := openrpcdiff.Count(findings)
	if (failOn <= openrpcdiff.Breaking && c.Breaking > 0) || (failOn <= openrpcdiff.Warning && c.Warning > 0) {
		return &exitError{code: 1}
	}
	return nil
}

// loadDiffDoc reads the document at p ("-" for standard input). Files
// that are not regular (pipes from process substitution, /dev/stdin) are
// read once, as streams, and their references to other files are not
// followed: there is no directory they belong to.
func loadDiffDoc(cmd *cobra.Command, p string) (*openrpcdiff.Document, error) {
	ctx := cmd.Context()
	var doc *openrpcdiff.Document
	var err error
	if p == "-" {
		doc, err = openrpcdiff.Read(ctx, cmd.InOrStdin(), "-", "")
	} else {
		f, oerr := os.Open(p)
		if oerr != nil {
			return nil, &exitError{code: 2, msg: oerr.Error()}
		}
		defer f.Close()
		base := ""
		if st, serr := f.Stat(); serr == nil && st.Mode().IsRegular() {
			base = filepath.Dir(p)
		} else if serr == nil && st.IsDir() {
			return nil, &exitError{code: 2, msg: p + " is a directory"}
		}
		doc, err = openrpcdiff.Read(ctx, f, p, base)
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	return doc, nil
}
