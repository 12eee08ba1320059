package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/printable"
)

// callOptions are the flags of `schemarpc call`.
type callOptions struct {
	params []string
	notify bool
	id     string
	conn   connOptions
}

func newCallCmd() *cobra.Command {
	var o callOptions
	cmd := &cobra.Command{
		Use:   "call URL METHOD [PARAMS]",
		Short: "Call a method of a JSON-RPC 2.0 server and print the result",
		Long: `Call METHOD on the JSON-RPC 2.0 server at URL (http://, https://, ws:// or
wss://) and print the result as indented JSON on standard output.

PARAMS is a JSON array (params by position) or object (params by name).
Alternatively give named params with -p name=value, repeatable; a value that
is valid JSON is sent as such (-p n=3 sends the number 3), any other value as a
string.

An error answer is printed to standard error with its code, message and data,
exit status 1; so is a transport failure.`,
		Example: `  schemarpc call http://127.0.0.1:8080/rpc subtract '[42, 23]'
  schemarpc call http://127.0.0.1:8080/rpc create_user -p username=ann -p email=ann@example.com
  schemarpc call --notify ws://127.0.0.1:8080/rpc notify_hello '{"n": 7}'`,
		Args: cobra.RangeArgs(2, 3),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCall(cmd, o, args)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&o.params, "param", "p", nil, "named param name=value (repeatable); value is JSON or else a string")
	f.BoolVar(&o.notify, "notify", false, "send a notification: no id, no answer")
	f.StringVar(&o.id, "id", "1", "request id: a number, or else a string")
	o.conn.register(cmd)
	return cmd
}

func runCall(cmd *cobra.Command, o callOptions, args []string) error {
	url, method := args[0], args[1]
	params, err := callParams(args[2:], o.params)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	opts, err := o.conn.clientOptions()
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	req := &schemarpc.Request{Method: method, Params: params}
	if !o.notify {
		if req.ID, err = parseID(o.id); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	}
	ctx, cancel := o.conn.context(cmd.Context())
	defer cancel()
	c, err := dial(ctx, url, opts...)
	if err != nil {
		return o.conn.failure(url, err)
	}
	defer c.Close()
	resp, err := c.DirectCall(ctx, req)
	if err != nil {
		return o.conn.failure(url, err)
	}
	if resp == nil { // a notification
		return nil
	}
	if resp.Error != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "error %d: %s\n", resp.Error.Code, printable.String(resp.Error.Message))
		if resp.Error.Data != nil {
			data, _ := json.Marshal(resp.Error.Data)
			var pretty bytes.Buffer
			if json.Indent(&pretty, data, "", "  ") == nil {
				data = pretty.Bytes()
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "data: %s\n", data)
		}
		return &exitError{code: 1}
	}
	result := []byte(resp.Result)
	if len(result) == 0 {
		result = []byte("null")
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, result, "", "  "); err != nil {
		return &exitError{code: 1, msg: "the result is not valid JSON: " + err.Error()}
	}
	pretty.WriteByte('\n')
	_, err = cmd.OutOrStdout().Write(pretty.Bytes())
	return err
}

// callParams builds the params from the PARAMS argument or the -p pairs.
func callParams(arg, pairs []string) (json.RawMessage, error) {
	if len(arg) > 0 && len(pairs) > 0 {
		return nil, fmt.Errorf("give params either as PARAMS or with -p, not both")
	}
	if len(arg) > 0 {
		raw := bytes.TrimSpace([]byte(arg[0]))
		if !json.Valid(raw) || len(raw) == 0 || (raw[0] != '[' && raw[0] != '{') {
			return nil, fmt.Errorf("PARAMS %q: want a JSON array or object", arg[0])
		}
		return raw, nil
	}
	if len(pairs) == 0 {
		return nil, nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	seen := map[string]bool{}
	for i, p := range pairs {
		name, value, ok := strings.Cut(p, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("-p %q: want name=value", p)
		}
		if seen[name] {
			return nil, fmt.Errorf("-p %q: param %q given twice", p, name)
		}
		seen[name] = true
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		b.Write(k)
		b.WriteByte(':')
		if v := strings.TrimSpace(value); v != "" && json.Valid([]byte(v)) {
			b.WriteString(v)
		} else {
			s, _ := json.Marshal(value)
			b.Write(s)
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// parseID reads --id: a JSON number or string as is, anything else as a
// string.
func parseID(s string) (schemarpc.ID, error) {
	if id, err := schemarpc.ParseID([]byte(s)); err == nil && !id.IsNull() {
		return id, nil
	}
	if s == "" {
		return schemarpc.ID{}, fmt.Errorf("--id: empty")
	}
	return schemarpc.StringID(s), nil
}

// cutHeader splits "Name: value" (or "Name=value").
func cutHeader(h string) (name, value string, ok bool) {
	i := strings.IndexAny(h, ":=")
	if i <= 0 {
		return "", "", false
	}
	return strings.TrimSpace(h[:i]), strings.TrimSpace(h[i+1:]), true
}
