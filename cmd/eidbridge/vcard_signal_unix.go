//go:build unix

package main

import (
	"os"
	"syscall"
)

// replugSignals pull the virtual card out and put it back (fault tests).
var replugSignals = []os.Signal{syscall.SIGUSR1}
