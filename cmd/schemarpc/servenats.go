package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// natsServeProgram serves the demo with the NATS broker. The core module
// does not depend on NATS, so this binary cannot: the program is built from
// the module that does, github.com/schemarpc/schemarpc/natsbroker, and
// `schemarpc serve --nats URL` hands over to it.
const natsServeProgram = "schemarpc-nats"

// execProgram replaces the process with a program (tests replace it).
var execProgram = syscall.Exec

// serveWithNATS replaces the process with `schemarpc-nats serve` and the
// flags of cmd, looked up next to this executable first, then in PATH.
func serveWithNATS(cmd *cobra.Command) error {
	path := ""
	if self, err := os.Executable(); err == nil {
		if p := filepath.Join(filepath.Dir(self), natsServeProgram); isExecutable(p) {
			path = p
		}
	}
	if path == "" {
		if p, err := exec.LookPath(natsServeProgram); err == nil {
			path = p
		}
	}
	if path == "" {
		return &exitError{code: 2, msg: "serve --nats: this schemarpc has no NATS support (the core module does not depend on NATS); " +
			"install the program that has it, next to schemarpc or in PATH:\n" +
			"  cd natsbroker && go install ./cmd/schemarpc-nats   (in a checkout of schemarpc)\n" +
			"then run schemarpc serve --nats URL again (or schemarpc-nats serve --nats URL)"}
	}
	args := []string{path, "serve"}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		if sv, ok := f.Value.(pflag.SliceValue); ok {
			for _, v := range sv.GetSlice() {
				args = append(args, "--"+f.Name+"="+v)
			}
			return
		}
		args = append(args, "--"+f.Name+"="+f.Value.String())
	})
	if err := execProgram(path, args, os.Environ()); err != nil {
		return &exitError{code: 1, msg: "serve --nats: running " + path + ": " + err.Error()}
	}
	return nil
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
