package main

import (
	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "schemarpc",
		Short:         "Schema-first JSON-RPC 2.0: serve, discover, validate, document",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(newServeCmd(), newOpenRPCCmd(), newValidateCmd(), newDocsCmd(), newDiscoverCmd(), newCallCmd())
	return root
}
