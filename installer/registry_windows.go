package installer

import (
	"errors"

	"golang.org/x/sys/windows/registry"
)

// winRegistry is one root key: HKEY_CURRENT_USER, or HKEY_LOCAL_MACHINE
// for reading what an installation for all users registered.
type winRegistry struct{ root registry.Key }

// UserRegistry is HKEY_CURRENT_USER.
func UserRegistry() Registry { return winRegistry{registry.CURRENT_USER} }

// MachineRegistry is HKEY_LOCAL_MACHINE, to read (writing needs an
// administrator, which eidbridge never asks to be).
func MachineRegistry() Registry { return winRegistry{registry.LOCAL_MACHINE} }

func (w winRegistry) Value(key, name string) (string, bool, error) {
	k, err := registry.OpenKey(w.root, key, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	defer k.Close()
	v, _, err := k.GetStringValue(name)
	if errors.Is(err, registry.ErrNotExist) {
		return "", false, nil
	}
	return v, err == nil, err
}

func (w winRegistry) KeyExists(key string) (bool, error) {
	k, err := registry.OpenKey(w.root, key, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	k.Close()
	return true, nil
}

func (w winRegistry) SetValue(key, name, value string) error {
	k, _, err := registry.CreateKey(w.root, key, registry.SET_VALUE)
	if err != nil {
		return err
	}
	defer k.Close()
	return k.SetStringValue(name, value)
}

func (w winRegistry) DeleteValue(key, name string) error {
	k, err := registry.OpenKey(w.root, key, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer k.Close()
	if err := k.DeleteValue(name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return err
	}
	return nil
}
