package main

import (
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/schemarpc/schemarpc/examples/demo"
)

func newOpenRPCCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "openrpc",
		Short: "Print the demo service's OpenRPC document (the one in openrpc.json)",
		Example: `  schemarpc openrpc > openrpc.json
  schemarpc openrpc -o openrpc.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc, err := demo.New(slog.New(slog.DiscardHandler)).OpenRPCJSON()
			if err != nil {
				return err
			}
			if out != "" && out != "-" {
				return os.WriteFile(out, doc, 0o644)
			}
			_, err = cmd.OutOrStdout().Write(doc)
			return err
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to this file instead of standard output")
	return cmd
}
