//go:build !windows

package pcsc

// pcsc-lite (and macOS) build control codes as SCARD_CTL_CODE(c) =
// 0x42000000 + c.
func ctlCode(c uint32) uint32 { return 0x42000000 + c }
