//go:build unix

package server_test

import "syscall"

// processCPU returns the CPU time the process has used, in nanoseconds,
// or -1 when it cannot be read. On a loaded machine it is a steadier
// measure than wall-clock time, which counts the time other processes
// run.
func processCPU() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
