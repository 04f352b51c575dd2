//go:build linux

package xshot

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"os"
	"testing"
	"time"

	"github.com/jezek/xgb/xproto"
)

// needXvfb skips without Xvfb, loudly, except under EIDBRIDGE_PCSC_TESTS=1
// (make test), which installs it.
func needXvfb(t *testing.T) {
	err := Available()
	if err == nil {
		return
	}
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") == "1" {
		t.Fatalf("make test installs Xvfb (scripts/testenv.sh test-deps): %v", err)
	}
	fmt.Fprintln(os.Stderr, "!!! SKIPPING the Xvfb tests: "+err.Error())
	t.Skip(err)
}

// A window the test draws itself is found, named and pictured as drawn,
// and seen to go.
func TestShotOfAWindow(t *testing.T) {
	needXvfb(t)
	d := Start(t, 640, 480)
	if os.Getenv("DISPLAY") != d.Name || os.Getenv("XAUTHORITY") == "" {
		t.Fatalf("DISPLAY=%q XAUTHORITY=%q; want the new display", os.Getenv("DISPLAY"), os.Getenv("XAUTHORITY"))
	}
	w := drawWindow(t, d, image.Rect(100, 50, 300, 150), "Testvenster — é")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	got, img, err := d.WaitShot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != w || got.Bounds != image.Rect(100, 50, 300, 150) || got.Title != "Testvenster — é" {
		t.Errorf("WaitShot = %+v; want window %v at (100,50)-(300,150) named Testvenster — é", got, w)
	}
	white, red := color.RGBA{0xff, 0xff, 0xff, 0xff}, color.RGBA{0xff, 0, 0, 0xff}
	if img.Bounds().Size() != image.Pt(200, 100) || img.At(5, 5) != white || img.At(20, 20) != red || Colours(img) != 2 {
		t.Errorf("picture %v: (5,5)=%v (20,20)=%v, %d colours; want white with a red square",
			img.Bounds(), img.At(5, 5), img.At(20, 20), Colours(img))
	}
	xproto.DestroyWindow(d.conn, w)
	if err := d.WaitGone(ctx); err != nil {
		t.Fatal(err)
	}
}

// drawWindow maps a white window at r, titled, with a red square at
// (10,10)-(40,40) inside.
func drawWindow(t *testing.T, d *Display, r image.Rectangle, title string) xproto.Window {
	t.Helper()
	w, err := xproto.NewWindowId(d.conn)
	if err != nil {
		t.Fatal(err)
	}
	err = xproto.CreateWindowChecked(d.conn, 0, w, d.root, int16(r.Min.X), int16(r.Min.Y),
		uint16(r.Dx()), uint16(r.Dy()), 0, xproto.WindowClassInputOutput, 0,
		xproto.CwBackPixel|xproto.CwOverrideRedirect, []uint32{0xffffff, 1}).Check()
	if err != nil {
		t.Fatal(err)
	}
	atom, err := xproto.InternAtom(d.conn, false, uint16(len("_NET_WM_NAME")), "_NET_WM_NAME").Reply()
	if err != nil {
		t.Fatal(err)
	}
	utf8, err := xproto.InternAtom(d.conn, false, uint16(len("UTF8_STRING")), "UTF8_STRING").Reply()
	if err != nil {
		t.Fatal(err)
	}
	xproto.ChangeProperty(d.conn, xproto.PropModeReplace, w, atom.Atom, utf8.Atom, 8, uint32(len(title)), []byte(title))
	xproto.MapWindow(d.conn, w)
	gc, _ := xproto.NewGcontextId(d.conn)
	xproto.CreateGC(d.conn, gc, xproto.Drawable(w), xproto.GcForeground, []uint32{0xff0000})
	xproto.PolyFillRectangle(d.conn, xproto.Drawable(w), gc, []xproto.Rectangle{{X: 10, Y: 10, Width: 30, Height: 30}})
	return w
}

func TestGrid(t *testing.T) {
	a := image.NewRGBA(image.Rect(0, 0, 30, 10))
	b := image.NewRGBA(image.Rect(5, 5, 15, 25)) // not at the origin
	fill(a, color.RGBA{0xff, 0, 0, 0xff})
	fill(b, color.RGBA{0, 0, 0xff, 0xff})
	bg := color.RGBA{0x80, 0x80, 0x80, 0xff}
	g := Grid([][]image.Image{{a, nil}, {nil, b}}, 2, bg)
	// columns 30 and 10 wide, rows 10 and 20 high, margins of 2
	if g.Bounds() != image.Rect(0, 0, 2+30+2+10+2, 2+10+2+20+2) {
		t.Fatalf("grid is %v", g.Bounds())
	}
	for _, c := range []struct {
		x, y int
		want color.RGBA
	}{
		{0, 0, bg}, {2, 2, a.RGBAAt(0, 0)}, {31, 11, a.RGBAAt(0, 0)}, {32, 12, bg},
		{34, 14, b.RGBAAt(5, 5)}, {43, 33, b.RGBAAt(5, 5)}, {34, 2, bg}, {2, 14, bg},
	} {
		if got := g.RGBAAt(c.x, c.y); got != c.want {
			t.Errorf("grid at (%d,%d) = %v, want %v", c.x, c.y, got, c.want)
		}
	}
}

func fill(img *image.RGBA, c color.RGBA) {
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}
