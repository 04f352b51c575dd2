//go:build !windows

package main

import "errors"

// noRegistry: only Windows registers hosts in the registry; elsewhere the
// manifest's location is enough, and nmPlatform gives no key.
type noRegistry struct{}

func systemRegistry() nmRegistry { return noRegistry{} }

var errNoRegistry = errors.New("the registry exists only on Windows")

func (noRegistry) set(string, string) error { return errNoRegistry }
func (noRegistry) remove(string) error      { return errNoRegistry }
