package nmhost

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
)

// hostileFrames are the seeds of the native-messaging fuzz targets: what
// a broken or hostile browser side could write to the host's stdin.
func hostileFrames() [][]byte {
	le := func(n uint32) []byte { return binary.NativeEndian.AppendUint32(nil, n) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	deep := strings.Repeat("[", 3000) + strings.Repeat("]", 3000)
	return [][]byte{
		nil,                     // the browser closed at once
		{0x07},                  // a truncated length
		{0x07, 0x00, 0x00},      // a truncated length
		le(0),                   // a zero length
		cat(le(0), frame(`{}`)), // a zero length, then a good frame
		le(0xffffffff),          // 4 GiB, no data
		cat(le(0xffffffff), []byte(`{"origin":"https://a.be"}`)),
		le(1 << 31),                     // 2 GiB
		cat(le(1<<20+1), []byte(`{}`)),  // over the browser's limit
		cat(le(100), []byte(`{"a":1}`)), // longer than the data
		frame(`{"origin":"https://www.belgium.be"}`),
		cat(frame(`{"origin":"https://www.belgium.be"}`), frame(`{"id":"1","op":"version"}`)),
		frame(`{"origin":"https://www.belgium.be"`),        // invalid JSON
		frame(`{"origin":"https://www.belgium.be"}{}`),     // two values
		frame(`{"origin":"https://www.belgium.be","x":1}`), // an unknown member
		frame(`{"origin":"https://www.belgium.be/"}`),      // not canonical
		frame(`{"origin":null}`),
		frame(`["origin"]`),
		frame("\xff\xfe{}"), // not UTF-8
		frame(" \t\r\n{}"),  // leading white space
		frame(deep),         // deeply nested
		frame(`{"a":` + deep + `}`),
		frame(strings.Repeat(`{"a":`, 2000) + "1" + strings.Repeat("}", 2000)),
		cat(frame(`{}`), []byte{0x01}), // a good frame, then a truncated length
	}
}

// FuzzNMFrames reads a native-messaging stream as the host does: it must
// never panic, must return an error for every bad frame (a clean io.EOF
// only between frames), and each good frame must be exactly the bytes the
// length announced, which writeFrame writes back identically.
func FuzzNMFrames(f *testing.F) {
	for _, s := range hostileFrames() {
		f.Add(s, uint32(4096))
		f.Add(s, uint32(MaxToBrowser))
	}
	f.Add(binary.NativeEndian.AppendUint32(nil, 48), uint32(4096)) // a length, then the end
	f.Add(frame(`{}`), uint32(2))
	f.Add(frame(`{}`), uint32(1))
	f.Fuzz(func(t *testing.T, in []byte, max uint32) {
		// The host's limits are 4 KiB (the hello) and 64 KiB (the
		// agent's); keep the fuzzer's allocations near them.
		max = 1 + max%(1<<17)
		r := bytes.NewReader(in)
		for off := 0; ; {
			msg, err := ReadFrame(r, int(max))
			rest := in[off:]
			if len(rest) == 0 {
				if !errors.Is(err, io.EOF) || msg != nil {
					t.Fatalf("at the end of the stream: %q, %v; want io.EOF", msg, err)
				}
				return
			}
			if len(rest) < 4 {
				if err == nil || errors.Is(err, io.EOF) {
					t.Fatalf("%d bytes of a length: %q, %v; want an error other than io.EOF", len(rest), msg, err)
				}
				return
			}
			n := binary.NativeEndian.Uint32(rest)
			if n == 0 || n > max || uint64(len(rest)-4) < uint64(n) {
				if err == nil || errors.Is(err, io.EOF) || msg != nil {
					t.Fatalf("a bad frame (length %d, limit %d, %d bytes follow): %q, %v; want an error",
						n, max, len(rest)-4, msg, err)
				}
				return
			}
			if err != nil || !bytes.Equal(msg, rest[4:4+n]) {
				t.Fatalf("a good %d-byte frame read as %q, %v", n, msg, err)
			}
			var out bytes.Buffer
			if err := WriteFrame(&out, msg); err != nil || !bytes.Equal(out.Bytes(), rest[:4+n]) {
				t.Fatalf("written back as % x, %v; want % x", out.Bytes(), err, rest[:4+n])
			}
			// What the relay forwards to the agent is one JSON object.
			if isJSONObject(msg) {
				var obj map[string]any
				if err := json.Unmarshal(msg, &obj); err != nil || obj == nil {
					t.Fatalf("%q passed as a JSON object: %v", msg, err)
				}
			}
			off += 4 + int(n)
		}
	})
}

// FuzzNMHello: the extension's first message is accepted only when it is
// exactly {"origin": O} with O a canonical origin, or the origins query,
// whatever the bytes.
func FuzzNMHello(f *testing.F) {
	for _, s := range hostileFrames() {
		f.Add(s)
	}
	f.Add(frame(`{"query":"origins"}`))
	f.Add(frame(`{"query":"origins","origin":"https://www.belgium.be"}`))
	f.Add(frame(`{"query":"other"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		origin, query, err := readHello(bytes.NewReader(in))
		if err != nil {
			if origin != "" || query {
				t.Fatalf("an error (%v) with an origin %q or a query (%v)", err, origin, query)
			}
			return
		}
		msg, ferr := ReadFrame(bytes.NewReader(in), 4096)
		if ferr != nil || !isJSONObject(msg) {
			t.Fatalf("hello (%q, %v) accepted from a bad frame: %v", origin, query, ferr)
		}
		var hello map[string]any
		if err := json.Unmarshal(msg, &hello); err != nil || len(hello) != 1 {
			t.Fatalf("hello (%q, %v) accepted from %q", origin, query, msg)
		}
		if query {
			if origin != "" || hello["query"] != "origins" {
				t.Fatalf("query (origin %q) accepted from %q", origin, msg)
			}
			return
		}
		if hello["origin"] != origin {
			t.Fatalf("hello %q accepted from %q", origin, msg)
		}
		// The origin survives a round trip through a hello of our own.
		b, _ := json.Marshal(map[string]string{"origin": origin})
		var again bytes.Buffer
		WriteFrame(&again, b)
		if o, q, err := readHello(&again); err != nil || o != origin || q {
			t.Fatalf("the origin %q read back as %q, %v, %v", origin, o, q, err)
		}
	})
}

// FuzzWebEIDCommand: whatever the extension's message, parsing it never
// panics, and a command it accepts is one of the four with a canonical
// https origin (quit: none) and only the agent's parameters of that
// command, which the agent itself accepts.
func FuzzWebEIDCommand(f *testing.F) {
	for _, s := range []string{
		`{"command":"quit","arguments":{}}`,
		`{"command":"authenticate","arguments":{"challengeNonce":"cGVyc29uYWwgY2hhbGxlbmdlIG5vbmNlIDMyIGJ5dGU=","origin":"https://mijn.belgium.be","lang":"nl"}}`,
		`{"command":"get-signing-certificate","arguments":{"origin":"https://a.be:8443"}}`,
		`{"command":"sign","arguments":{"hash":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","hashFunction":"SHA-256","certificate":"AAAA","origin":"https://a.be"}}`,
		`{"command":"sign","arguments":{"hash":"","hashFunction":"SHA3-256","certificate":"AAAA","origin":"http://a.be"}}`,
		`{"command":"authenticate","arguments":{"origin":"https://a.be","origin":"https://b.be"}}`,
		`{"command":"quit","arguments":{}} {}`, `[]`, `{`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte) {
		cmd, werr := parseCommand(msg)
		if werr != nil {
			if werr.Code != errInvalidArgument || werr.Message == "" {
				t.Fatalf("refused with %+v", werr)
			}
			return
		}
		spec, ok := commandArgs[cmd.name]
		if !ok || cmd.op != spec.op {
			t.Fatalf("accepted command %q as %q", cmd.name, cmd.op)
		}
		if cmd.name == cmdQuit {
			return
		}
		if o, err := agent.ParseOrigin(cmd.origin); err != nil || o.Scheme != "https" || o.String() != cmd.origin {
			t.Fatalf("accepted origin %q", cmd.origin)
		}
		raw, _ := json.Marshal(cmd.params)
		if err := agent.CheckParams(cmd.op, raw); err != nil || len(cmd.params) != len(spec.args)-1 {
			t.Fatalf("params %s for %s: %v", raw, cmd.op, err)
		}
	})
}
