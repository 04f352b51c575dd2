package vtrace

import "testing"

func TestParse(t *testing.T) {
	cases := []struct {
		line string
		want int
		ok   bool
	}{
		{"C: 00B0000000 R: 6C10", 7, true},
		{"C: 80E4000000 R: 01029000", 9, true},
		{"C: 00B0 R: 9000", 0, false},
		{"C: 00B0000000", 0, false},
		{"X: 00B0000000 R: 9000", 0, false},
		{"C: 00B00000ZZ R: 9000", 0, false},
	}
	for _, c := range cases {
		p, err := Parse(c.line)
		if got := p.Bytes(); (err == nil) != c.ok || got != c.want {
			t.Errorf("Parse(%q) = %d bytes, %v; want %d, ok=%v", c.line, got, err, c.want, c.ok)
		}
	}
}
