//go:build linux

package xshot

import (
	"errors"
	"fmt"
	"image"
	"math/bits"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// pixelFormat is how the root window's pixels come in a ZPixmap image.
type pixelFormat struct {
	bpp              int
	lsbFirst         bool
	red, green, blue uint32 // the visual's channel masks
}

// connect opens the display and learns its pixel format, of which only
// the 32-bit pixels that Xvfb's depth 24 uses are read.
func connect(name string) (*Display, error) {
	conn, err := xgb.NewConnDisplay(name)
	if err != nil {
		return nil, fmt.Errorf("connecting to Xvfb %s: %w", name, err)
	}
	setup := xproto.Setup(conn)
	screen := setup.DefaultScreen(conn)
	pix := pixelFormat{lsbFirst: setup.ImageByteOrder == xproto.ImageOrderLSBFirst}
	for _, f := range setup.PixmapFormats {
		if f.Depth == screen.RootDepth {
			pix.bpp = int(f.BitsPerPixel)
		}
	}
	for _, d := range screen.AllowedDepths {
		for _, v := range d.Visuals {
			if v.VisualId == screen.RootVisual {
				pix.red, pix.green, pix.blue = v.RedMask, v.GreenMask, v.BlueMask
			}
		}
	}
	if pix.bpp != 32 {
		conn.Close()
		return nil, fmt.Errorf("xshot reads 32-bit pixels; the root window has %d", pix.bpp)
	}
	return &Display{Name: name, conn: conn, root: screen.Root, pix: pix}, nil
}

// Window is a top-level window the display shows.
type Window struct {
	ID     xproto.Window
	Bounds image.Rectangle // on the screen
	Title  string          // _NET_WM_NAME, else WM_NAME
}

// Windows are the top-level windows that are mapped and visible, bottom
// to top. Without a window manager they are the root's own children.
func (d *Display) Windows() ([]Window, error) {
	tree, err := xproto.QueryTree(d.conn, d.root).Reply()
	if err != nil {
		return nil, err
	}
	var out []Window
	for _, w := range tree.Children {
		attr, err := xproto.GetWindowAttributes(d.conn, w).Reply()
		if err != nil || attr.MapState != xproto.MapStateViewable {
			continue // gone meanwhile, or hidden
		}
		g, err := xproto.GetGeometry(d.conn, xproto.Drawable(w)).Reply()
		if err != nil {
			continue
		}
		r := image.Rect(int(g.X), int(g.Y), int(g.X)+int(g.Width), int(g.Y)+int(g.Height))
		out = append(out, Window{ID: w, Bounds: r, Title: d.title(w)})
	}
	return out, nil
}

// title is the window's title, "" when it has none.
func (d *Display) title(w xproto.Window) string {
	for _, prop := range []string{"_NET_WM_NAME", "WM_NAME"} {
		atom, err := xproto.InternAtom(d.conn, true, uint16(len(prop)), prop).Reply()
		if err != nil || atom.Atom == xproto.AtomNone {
			continue
		}
		p, err := xproto.GetProperty(d.conn, false, w, atom.Atom, xproto.GetPropertyTypeAny, 0, 1024).Reply()
		if err == nil && p.ValueLen > 0 {
			return string(p.Value)
		}
	}
	return ""
}

// Capture is what the screen shows in r (clipped to the screen), read
// from the root window so that it is exactly what is visible.
func (d *Display) Capture(r image.Rectangle) (*image.RGBA, error) {
	g, err := xproto.GetGeometry(d.conn, xproto.Drawable(d.root)).Reply()
	if err != nil {
		return nil, err
	}
	r = r.Intersect(image.Rect(0, 0, int(g.Width), int(g.Height)))
	if r.Empty() {
		return nil, errors.New("xshot: nothing of that rectangle is on the screen")
	}
	reply, err := xproto.GetImage(d.conn, xproto.ImageFormatZPixmap, xproto.Drawable(d.root),
		int16(r.Min.X), int16(r.Min.Y), uint16(r.Dx()), uint16(r.Dy()), ^uint32(0)).Reply()
	if err != nil {
		return nil, err
	}
	return d.pix.rgba(reply.Data, r.Dx(), r.Dy())
}

// rgba converts 32-bit ZPixmap data (whose rows need no padding) to an
// opaque RGBA image.
func (f pixelFormat) rgba(data []byte, w, h int) (*image.RGBA, error) {
	if len(data) < w*h*4 {
		return nil, fmt.Errorf("xshot: %d bytes of image data for %dx%d", len(data), w, h)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		b := data[i*4 : i*4+4]
		var p uint32
		if f.lsbFirst {
			p = uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		} else {
			p = uint32(b[3]) | uint32(b[2])<<8 | uint32(b[1])<<16 | uint32(b[0])<<24
		}
		img.Pix[i*4] = channel(p, f.red)
		img.Pix[i*4+1] = channel(p, f.green)
		img.Pix[i*4+2] = channel(p, f.blue)
		img.Pix[i*4+3] = 0xff
	}
	return img, nil
}

// channel is the 8-bit value of the channel that mask selects (masks of
// 8 bits, as depth 24 has).
func channel(p, mask uint32) uint8 {
	return uint8((p & mask) >> bits.TrailingZeros32(mask))
}
