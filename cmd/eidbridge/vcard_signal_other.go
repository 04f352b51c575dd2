//go:build !unix

package main

import "os"

// replugSignals: Windows has no SIGUSR1, so the card cannot be re-plugged
// by a signal there.
var replugSignals []os.Signal
