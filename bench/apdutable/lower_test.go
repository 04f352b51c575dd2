package main

import (
	"path/filepath"
	"testing"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// TestLowerBound replaces the files of a real profile with files of
// chosen sizes and checks the bound against a count made by hand.
func TestLowerBound(t *testing.T) {
	c, err := virtualcard.Load(filepath.Join("..", "..", "eid", "virtualcard", "testdata", "citizen-1.8"))
	if err != nil {
		t.Fatal(err)
	}
	der := func(total, padded int) []byte { // a SEQUENCE of total bytes, zero-padded
		b := make([]byte, padded)
		b[0], b[1], b[2], b[3] = 0x30, 0x82, byte((total-4)>>8), byte(total-4)
		return b
	}
	files := map[string][]byte{
		"3F00DF014031": make([]byte, 256),           // 1 READ
		"3F00DF014032": make([]byte, 96),            // 1
		"3F00DF014033": make([]byte, 257),           // 2
		"3F00DF014034": der(96, 256),                // 1: an EC signature, up to its DER end
		"3F00DF014035": make([]byte, 3000),          // 12
		"3F00DF014040": {0x30, 0x03, 1, 2, 3, 0, 0}, // 5 bytes: 1
		"3F00DF005038": der(600, 1700),              // 3
		"3F00DF005039": make([]byte, 1700),          // absent: 1 READ of 1 byte
		"3F00DF00503A": der(512, 1700),              // 2
		"3F00DF00503B": der(513, 1700),              // 3
		"3F00DF00503C": der(100, 1700),              // 1
	}
	for k, v := range files {
		c.Files[k] = v
	}
	got, err := lowerBound(c)
	if err != nil {
		t.Fatal(err)
	}
	reads := 1 + 1 + 2 + 1 + 12 + 1 + 3 + 1 + 2 + 3 + 1
	data := 256 + 96 + 257 + 96 + 3000 + 5 + 600 + 1 + 512 + 513 + 100
	want := Tally{
		Files: 11,
		APDUs: 1 + 11 + reads,
		Bytes: (5 + 31 + 2) + 11*(5+6+2) + reads*(5+2) + data,
	}
	if got != want {
		t.Errorf("lower bound %+v, want %+v", got, want)
	}
}
