//go:build windows

package main

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// winRegistry writes HKEY_CURRENT_USER, where Chromium browsers and
// Firefox look up a host's manifest on Windows.
type winRegistry struct{}

func systemRegistry() nmRegistry { return winRegistry{} }

func (winRegistry) set(key, value string) error {
	k, _, err := registry.CreateKey(registry.CURRENT_USER, key, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("creating HKCU\\%s: %w", key, err)
	}
	defer k.Close()
	if err := k.SetStringValue("", value); err != nil {
		return fmt.Errorf("setting HKCU\\%s: %w", key, err)
	}
	return nil
}

func (winRegistry) remove(key string) error {
	err := registry.DeleteKey(registry.CURRENT_USER, key)
	if err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("deleting HKCU\\%s: %w", key, err)
	}
	return nil
}
