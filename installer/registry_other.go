//go:build !windows

package installer

// UserRegistry is HKEY_CURRENT_USER on Windows; nil elsewhere.
func UserRegistry() Registry { return nil }
