//go:build (linux || darwin) && (!cgo || pcsc_purego)

package pcsc

import (
	"errors"
	"strings"
	"testing"
)

// A missing library means no PC/SC service for callers, with a message
// naming the library.
func TestPuregoMissingLibrary(t *testing.T) {
	_, control, abi := platformLibrary()
	_, err := openLibrary("libpcsc-does-not-exist.so.1", control, abi)
	if !errors.Is(err, ErrNoService) || !strings.Contains(err.Error(), "libpcsc-does-not-exist.so.1") {
		t.Fatalf("open a missing library: %v; want ErrNoService naming it", err)
	}
	if w := wrap("list readers", err); !errors.Is(w, ErrNoService) {
		t.Errorf("wrapped: %v lost ErrNoService", w)
	}
}

// A library without one of the entry points is refused by name, not used.
func TestPuregoMissingSymbol(t *testing.T) {
	path, _, abi := platformLibrary()
	_, err := openLibrary(path, "SCardNoSuchFunction", abi)
	if err == nil || errors.Is(err, ErrNoService) || !strings.Contains(err.Error(), "SCardNoSuchFunction") {
		t.Fatalf("open with a missing symbol: %v; want an error naming it", err)
	}
}
