//go:build !windows

package installer

// UserRegistry is HKEY_CURRENT_USER on Windows; nil elsewhere.
func UserRegistry() Registry { return nil }

// MachineRegistry is HKEY_LOCAL_MACHINE on Windows; nil elsewhere.
func MachineRegistry() Registry { return nil }
