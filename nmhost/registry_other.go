//go:build !windows

package nmhost

import "errors"

// noRegistry: only Windows registers hosts in the registry; elsewhere the
// manifest's location is enough, and Platform gives no key.
type noRegistry struct{}

// SystemRegistry is HKEY_CURRENT_USER on Windows; elsewhere every call
// fails, since no Location there has a key.
func SystemRegistry() Registry { return noRegistry{} }

var errNoRegistry = errors.New("the registry exists only on Windows")

func (noRegistry) Get(string) (string, bool, error) { return "", false, errNoRegistry }
func (noRegistry) Set(string, string) error         { return errNoRegistry }
func (noRegistry) Remove(string) error              { return errNoRegistry }
