package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/bench/internal/vtrace"
)

// The minimum's bytes, counted by hand: MSE 10+2, VERIFY 13+2, PSO
// 5+DTBS+2 (61xx), GET RESPONSE 5+signature+2.
func TestMinimumBytes(t *testing.T) {
	for applet, want := range map[string]int{"1.7": 12 + 15 + (5 + 51 + 2) + (5 + 256 + 2), "1.8": 12 + 15 + (5 + 48 + 2) + (5 + 96 + 2)} {
		p, err := profileOf(applet)
		if err != nil {
			t.Fatal(err)
		}
		row := p.row("min", p.minimum())
		if !strings.Contains(row, "| 4 | "+strconv.Itoa(want)+" | +0 |") {
			t.Errorf("applet %s: %s, want 4 APDUs and %d bytes", applet, row, want)
		}
	}
}

func TestTraceSequence(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace")
	lines := "C: 80E400001C R: 9000\nC: 00A4080C063F00DF005038 R: 9000\nC: 00B0000000 R: 9000\nC: 00B0010000 R: 9000\n" +
		"C: 00200001 R: 63C3\nC: 0020000108585858585858585858 R: 9000\n"
	if err := os.WriteFile(path, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	pairs, err := vtrace.Read(path, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sequence(pairs), "GET CARD DATA, SELECT, READ BINARY ×2, status, VERIFY"; got != want {
		t.Errorf("sequence %q, want %q", got, want)
	}
	rest, err := vtrace.Read(path, int64(strings.Index(lines, "C: 00200001")))
	if err != nil || len(rest) != 2 {
		t.Errorf("reading from an offset: %d pairs, %v; want 2", len(rest), err)
	}
	if _, err := vtrace.Read(writeBad(t), 0); err == nil {
		t.Error("a line that is not a trace line was accepted")
	}
}

func writeBad(t *testing.T) string {
	path := filepath.Join(t.TempDir(), "bad")
	if err := os.WriteFile(path, []byte("C: 00A4 X: 9000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
