//go:build !windows

package installer

import "errors"

// osProcessImage is Windows only; elsewhere the agent is found otherwise.
func osProcessImage(int) (string, error) { return "", errors.ErrUnsupported }
