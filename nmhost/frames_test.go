package nmhost

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

func frame(msg string) []byte {
	b := binary.NativeEndian.AppendUint32(nil, uint32(len(msg)))
	return append(b, msg...)
}

func TestFramesRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	for _, m := range []string{`{"a":1}`, `{}`, strings.Repeat("x", 1000)} {
		if err := WriteFrame(&buf, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.HasPrefix(buf.Bytes(), frame(`{"a":1}`)) {
		t.Fatalf("first frame is % x, want the native-endian length then the bytes", buf.Bytes()[:11])
	}
	for _, want := range []string{`{"a":1}`, `{}`, strings.Repeat("x", 1000)} {
		got, err := ReadFrame(&buf, 4096)
		if err != nil || string(got) != want {
			t.Fatalf("read %q, %v; want %q", got, err, want)
		}
	}
	if _, err := ReadFrame(&buf, 4096); !errors.Is(err, io.EOF) {
		t.Fatalf("at the end: %v, want io.EOF", err)
	}
}

func TestReadFrameRefuses(t *testing.T) {
	for name, in := range map[string][]byte{
		"over the limit":   frame(strings.Repeat("x", 101)),
		"empty":            frame(""),
		"short header":     {1, 0},
		"truncated body":   frame(`{"abc":1}`)[:8],
		"huge length only": {0xff, 0xff, 0xff, 0xff},
	} {
		if _, err := ReadFrame(bytes.NewReader(in), 100); err == nil || errors.Is(err, io.EOF) {
			t.Errorf("%s: %v, want an error other than a clean EOF", name, err)
		}
	}
	if _, err := ReadFrame(bytes.NewReader(frame(strings.Repeat("x", 100))), 100); err != nil {
		t.Errorf("exactly at the limit: %v", err)
	}
}

func TestWriteFrameBrowserLimit(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFrame(&buf, make([]byte, MaxToBrowser+1)); err == nil || buf.Len() != 0 {
		t.Fatalf("over 1 MiB: %v, wrote %d bytes", err, buf.Len())
	}
	if err := WriteFrame(&buf, make([]byte, MaxToBrowser)); err != nil {
		t.Fatalf("exactly 1 MiB: %v", err)
	}
}
