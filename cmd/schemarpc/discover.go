package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
	"github.com/schemarpc/schemarpc/internal/printable"
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
server's error code, exit status 1. So is an answer that is not one response
whose result is an object with a string "openrpc" and a "methods" array, and an
answer that is not JSON-RPC at all (what came back is described, never printed
raw). --timeout bounds the whole exchange, connection and WebSocket handshake
included.`,
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
	ctx, cancel := o.conn.context(cmd.Context())
	defer cancel()
	c, err := dial(ctx, url, opts...)
	if err != nil {
		return o.conn.failure(url, err)
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
		return o.conn.failure(url, err)
	}
	if problem := notOpenRPC(doc); problem != "" {
		return &exitError{code: 1, msg: "rpc.discover at " + url + " answered " + problem + ", not an OpenRPC document"}
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
			fmt.Fprintln(cmd.ErrOrStderr(), printable.String(findingLine(f)))
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
	s := fmt.Sprintf("error %d: %s", e.Code, printable.String(e.Message))
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
	f.DurationVar(&o.timeout, "timeout", 30*time.Second, "how long connecting and the call may take together (0: no limit)")
}

// context returns the context of the whole exchange, connection and
// WebSocket handshake included, bounded by --timeout.
func (o *connOptions) context(ctx context.Context) (context.Context, context.CancelFunc) {
	if o.timeout > 0 {
		return context.WithTimeout(ctx, o.timeout)
	}
	return context.WithCancel(ctx)
}

// failure turns an error of the client into the command's exit error,
// saying plainly when --timeout ran out, and stripped of the control
// characters a misbehaving server may have put in it.
func (o *connOptions) failure(url string, err error) error {
	if errors.Is(err, client.ErrTimeout) {
		return &exitError{code: 1, msg: fmt.Sprintf("%s: no answer within %v (--timeout)", url, o.timeout)}
	}
	return &exitError{code: 1, msg: printable.String(err.Error())}
}

// notOpenRPC says what doc, the result of rpc.discover, is when it cannot
// be an OpenRPC document: not an object, or an object without a string
// "openrpc" or an array "methods". It returns "" for a plausible document;
// --validate checks the rest.
func notOpenRPC(doc json.RawMessage) string {
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		return "invalid JSON"
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return jsonKind(v)
	}
	if _, ok := obj["openrpc"].(string); !ok {
		return `an object without a string "openrpc" member`
	}
	if _, ok := obj["methods"].([]any); !ok {
		return `an object without a "methods" array`
	}
	return ""
}

// jsonKind names the JSON type of a decoded value, with an article.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	}
	return "an object"
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
