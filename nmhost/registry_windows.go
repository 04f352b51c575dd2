//go:build windows

package nmhost

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// winRegistry writes HKEY_CURRENT_USER, where Chromium browsers and
// Firefox look up a host's manifest on Windows (before HKLM).
type winRegistry struct{}

// SystemRegistry is HKEY_CURRENT_USER.
func SystemRegistry() Registry { return winRegistry{} }

func (winRegistry) Get(key string) (string, bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, key, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("opening HKCU\\%s: %w", key, err)
	}
	defer k.Close()
	v, _, err := k.GetStringValue("")
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("reading HKCU\\%s: %w", key, err)
	}
	return v, true, nil
}

func (winRegistry) Set(key, value string) error {
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

func (winRegistry) Remove(key string) error {
	err := registry.DeleteKey(registry.CURRENT_USER, key)
	if err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("deleting HKCU\\%s: %w", key, err)
	}
	return nil
}
