package virtualcard

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
)

// Photo size of cards issued since 2021: 150×195, 8-bit grey.
const (
	photoWidth   = 150
	photoHeight  = 195
	photoQuality = 75 // with the grain, lands near the 2.5–3 KB of real card photos
)

// Photo draws a deterministic grey portrait silhouette for seed (the
// holder's name) and encodes it as a baseline JPEG. The seed varies the
// shades and proportions so that different holders get different photos
// (and photo hashes); the same seed always gives the same bytes.
func Photo(seed string) ([]byte, error) {
	h := sha256.Sum256([]byte(seed))
	bg := 170 + int(h[0]%60)       // background grey
	skin := 90 + int(h[1]%70)      // face grey
	cloth := 30 + int(h[2]%60)     // shoulders grey
	headW := 34 + float64(h[3]%10) // half-width of the head
	headH := 44 + float64(h[4]%10) // half-height of the head
	img := image.NewGray(image.Rect(0, 0, photoWidth, photoHeight))
	cx, cy := float64(photoWidth)/2, 80.0
	grain := uint32(h[5])<<8 | uint32(h[6]) | 1
	for y := 0; y < photoHeight; y++ {
		for x := 0; x < photoWidth; x++ {
			fx, fy := float64(x), float64(y)
			v := bg - y/8 // slight vertical gradient, like studio lighting
			dx, dy := (fx-cx)/headW, (fy-cy)/headH
			switch {
			case fy < cy-headH*0.55 && dx*dx+dy*dy <= 1.3:
				v = cloth / 2 // hair
			case dx*dx+dy*dy <= 1:
				v = skin + int(dx*20)
			case fy > 140 && (fx-cx)*(fx-cx)/(70*70)+(fy-205)*(fy-205)/(65*65) <= 1:
				v = cloth
			}
			grain = grain*1664525 + 1013904223 // film grain, so it compresses like a photo
			v += int(grain>>29) - 4
			img.SetGray(x, y, color.Gray{Y: clampByte(v)})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: photoQuality}); err != nil {
		return nil, fmt.Errorf("photo: %w", err)
	}
	return buf.Bytes(), nil
}

func clampByte(v int) uint8 {
	return uint8(max(0, min(255, v)))
}
