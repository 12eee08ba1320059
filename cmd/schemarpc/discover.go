package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/lint"
)

// discoverOptions are the flags of `schemarpc discover`.
type discoverOptions struct {
	validate bool
	format   string
	conn     connOptions
}

func newDiscoverCmd() *cobra.Command {
	var o discoverOptions
	cmd := &cobra.Command{
		Use:   "discover URL",
		Short: "Fetch a server's OpenRPC document with rpc.discover",
		Long: `Call rpc.discover on the JSON-RPC server at URL (http://, https://, ws:// or
wss://) and print the OpenRPC document it returns, indented. With --validate the
document is also checked as ` + "`schemarpc validate`" + ` checks one, findings going to
standard error.

A server without rpc.discover, or any other error answer, is reported with the
server's error code, exit status 1.`,
		Example: `  schemarpc discover http://127.0.0.1:8080/rpc > openrpc.json
  schemarpc discover --validate ws://127.0.0.1:8080/rpc`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiscover(cmd, o, args[0])
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.validate, "validate", false, "check the document too; findings go to standard error")
	f.StringVar(&o.format, "format", "text", "format of the findings of --validate: text or json")
	o.conn.register(cmd)
	return cmd
}

func runDiscover(cmd *cobra.Command, o discoverOptions, url string) error {
	opts, err := o.conn.clientOptions()
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	ctx := cmd.Context()
	c, err := dial(ctx, url, opts...)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	defer c.Close()
	var doc json.RawMessage
	if err := c.Call(ctx, "rpc.discover", nil, &doc); err != nil {
		if e := schemarpc.AsError(err); e != nil {
			what := "rpc.discover failed"
			if e.Code == schemarpc.CodeMethodNotFound {
				what = url + " does not serve rpc.discover"
			}
			return &exitError{code: 1, msg: fmt.Sprintf("%s: the server answered %s", what, describeError(e))}
		}
		return &exitError{code: 1, msg: err.Error()}
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, doc, "", "  "); err != nil {
		return &exitError{code: 1, msg: "rpc.discover returned invalid JSON: " + err.Error()}
	}
	pretty.WriteByte('\n')
	if _, err := cmd.OutOrStdout().Write(pretty.Bytes()); err != nil {
		return err
	}
	if !o.validate {
		return nil
	}
	_, findings, err := lint.Check(cmd.Context(), doc, lint.Options{Name: url})
	if err != nil {
		return err
	}
	for _, f := range findings {
		if o.format == "json" {
			b, _ := json.Marshal(f)
			fmt.Fprintf(cmd.ErrOrStderr(), "%s\n", b)
		} else {
			fmt.Fprintln(cmd.ErrOrStderr(), findingLine(f))
		}
	}
	if errs, warns := tally(findings); errs > 0 {
		return &exitError{code: 1, msg: summary(errs, warns) + " in the discovered document"}
	}
	return nil
}

// describeError formats a JSON-RPC error as "error CODE: MESSAGE" and,
// when it has data, "(data: DATA)".
func describeError(e *schemarpc.Error) string {
	s := fmt.Sprintf("error %d: %s", e.Code, e.Message)
	if e.Data != nil {
		data, err := json.Marshal(e.Data)
		if err == nil {
			s += fmt.Sprintf(" (data: %s)", data)
		}
	}
	return s
}

// connOptions are the connection flags shared by discover and call.
type connOptions struct {
	headers []string
	timeout time.Duration
}

func (o *connOptions) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringArrayVarP(&o.headers, "header", "H", nil, `HTTP header to send, "Name: value" (repeatable)`)
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "how long the call may take (0: no limit)")
}

// clientOptions turns the flags into client options.
func (o *connOptions) clientOptions() ([]client.Option, error) {
	var opts []client.Option
	for _, h := range o.headers {
		name, value, ok := cutHeader(h)
		if !ok {
			return nil, fmt.Errorf("--header %q: want \"Name: value\"", h)
		}
		opts = append(opts, client.WithHeader(name, value))
	}
	if o.timeout > 0 {
		opts = append(opts, client.WithTimeout(o.timeout))
	}
	return opts, nil
}
