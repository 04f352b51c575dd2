//go:build !unix || darwin

package ui

// nativeAvailable: Windows and macOS dialogs need nothing installed.
func nativeAvailable() error { return nil }
