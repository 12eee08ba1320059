package main

import (
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "schemarpc",
		Short: "Schema-first JSON-RPC 2.0: serve, discover, validate, document",
		Long: `schemarpc serves the demo service, prints and fetches OpenRPC documents, validates
documents and JSON-RPC payloads against them (for CI: exit 0 clean, 1 findings,
2 usage error or unreadable file), renders reference docs, and calls methods.

On SIGINT (Ctrl-C) or SIGTERM a command stops promptly, after printing what it
found so far, and exits 130 (SIGINT) or 143 (SIGTERM) with a message on
standard error; serve instead shuts down gracefully and exits 0. A second
signal ends the process at once.`,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRun: func(cmd *cobra.Command, _ []string) {
			if cmd.Name() == "serve" {
				return
			}
			// Commands that run to completion keep little live memory:
			// collecting at twice the live heap rather than at once
			// spares about 15% of validate's CPU on large payload files.
			// (validate bounds the heap of payload checking itself:
			// limitPayloadHeap.)
			if os.Getenv("GOGC") == "" {
				debug.SetGCPercent(200)
			}
		},
	}
	root.AddCommand(newServeCmd(), newOpenRPCCmd(), newValidateCmd(), newDiffCmd(), newDocsCmd(), newDiscoverCmd(), newCallCmd())
	root.AddCommand(newGenCmd())
	return root
}

// version is the module version the binary was built from ("(devel)" for
// a build from a checkout), with the VCS revision when known.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v
}
