//go:build linux

package xshot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"time"
)

// poll is how often the waits look at the screen, and settled how many
// looks in a row must see the same picture: a window is drawn, then
// redrawn when it gets the focus.
const (
	poll    = 50 * time.Millisecond
	settled = 4
)

// WaitShot waits until a top-level window is shown and done drawing (the
// same picture, not all one colour, for settled looks in a row), and
// returns the topmost such window and its picture.
func (d *Display) WaitShot(ctx context.Context) (Window, *image.RGBA, error) {
	var last *image.RGBA
	var lastWin Window
	same := 0
	for {
		w, img, err := d.topShot()
		if err != nil {
			return Window{}, nil, err
		}
		if img != nil && last != nil && w == lastWin && bytes.Equal(img.Pix, last.Pix) && Colours(img) > 1 {
			same++
		} else {
			same = 0
		}
		if same == settled-1 {
			return w, img, nil
		}
		last, lastWin = img, w
		if err := sleep(ctx, "a window to be shown"); err != nil {
			return Window{}, nil, err
		}
	}
}

// topShot is the topmost window and its picture; nil when none is shown.
func (d *Display) topShot() (Window, *image.RGBA, error) {
	ws, err := d.Windows()
	if err != nil || len(ws) == 0 {
		return Window{}, nil, err
	}
	w := ws[len(ws)-1]
	img, err := d.Capture(w.Bounds)
	if err != nil {
		return Window{}, nil, err
	}
	return w, img, nil
}

// WaitGone waits until no top-level window is shown, so that the next
// WaitShot cannot see a window that was on its way out.
func (d *Display) WaitGone(ctx context.Context) error {
	for {
		ws, err := d.Windows()
		if err != nil {
			return err
		}
		if len(ws) == 0 {
			return nil
		}
		if err := sleep(ctx, fmt.Sprintf("%d window(s) to close", len(ws))); err != nil {
			return err
		}
	}
}

func sleep(ctx context.Context, what string) error {
	select {
	case <-ctx.Done():
		return errors.New("xshot: gave up waiting for " + what + ": " + ctx.Err().Error())
	case <-time.After(poll):
		return nil
	}
}
