package virtualcard

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

func TestPhoto(t *testing.T) {
	a, err := Photo("Jan Peeters")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Photo("Jan Peeters")
	other, _ := Photo("Marie Dubois")
	if !bytes.Equal(a, again) {
		t.Error("same seed gave different photos")
	}
	if bytes.Equal(a, other) {
		t.Error("different seeds gave the same photo")
	}
	img, err := jpeg.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := img.(*image.Gray); !ok {
		t.Errorf("photo decodes as %T, want 8-bit grey", img)
	}
	if b := img.Bounds(); b.Dx() != 150 || b.Dy() != 195 {
		t.Errorf("photo is %dx%d, want 150x195", b.Dx(), b.Dy())
	}
	if len(a) < 1500 || len(a) > 4000 {
		t.Errorf("photo is %d bytes; real card photos are about 2.5-3 KB", len(a))
	}
}
