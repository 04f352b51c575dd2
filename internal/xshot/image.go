package xshot

import (
	"image"
	"image/color"
	"image/draw"
)

// Colours counts the distinct colours of img: a window drawn with text
// has dozens (anti-aliasing), a blank one one or two.
func Colours(img *image.RGBA) int {
	seen := map[[4]uint8]bool{}
	for i := 0; i+4 <= len(img.Pix); i += 4 {
		seen[[4]uint8(img.Pix[i:i+4])] = true
	}
	return len(seen)
}

// Grid lays cells out in rows and columns, each cell at the top left of
// a slot as wide as its column's widest and as high as its row's highest,
// with margin pixels of bg around and between them. A nil cell is left
// empty.
func Grid(cells [][]image.Image, margin int, bg color.Color) *image.RGBA {
	var widths, heights []int
	for r, row := range cells {
		heights = append(heights, 0)
		for c, cell := range row {
			if c >= len(widths) {
				widths = append(widths, 0)
			}
			if cell != nil {
				widths[c] = max(widths[c], cell.Bounds().Dx())
				heights[r] = max(heights[r], cell.Bounds().Dy())
			}
		}
	}
	out := image.NewRGBA(image.Rect(0, 0, sum(widths)+margin*(len(widths)+1), sum(heights)+margin*(len(heights)+1)))
	draw.Draw(out, out.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	y := margin
	for r, row := range cells {
		x := margin
		for c, cell := range row {
			if cell != nil {
				b := cell.Bounds()
				draw.Draw(out, b.Sub(b.Min).Add(image.Pt(x, y)), cell, b.Min, draw.Src)
			}
			x += widths[c] + margin
		}
		y += heights[r] + margin
	}
	return out
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
