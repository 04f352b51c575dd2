//go:build !windows

package installer

import (
	"errors"
	"time"
)

// osProcessImage is Windows only; elsewhere the agent is found otherwise.
func osProcessImage(int) (string, error) { return "", errors.ErrUnsupported }

// osProcessStart is Windows only, like osProcessImage.
func osProcessStart(int) (time.Time, error) { return time.Time{}, errors.ErrUnsupported }
