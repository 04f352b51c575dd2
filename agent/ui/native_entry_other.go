//go:build !unix || darwin

package ui

import (
	"context"

	"github.com/ncruces/zenity"
)

// hiddenEntry uses the system's own dialog through zenity, whose answer
// is a Go string (see Native).
func hiddenEntry(ctx context.Context, title, text, cancel string) ([]byte, error) {
	s, err := zenity.Entry(text, zenity.Title(title), zenity.HideText(),
		zenity.OKLabel("OK"), zenity.CancelLabel(cancel), zenity.Context(ctx))
	return []byte(s), err
}
