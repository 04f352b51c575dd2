package virtualcard

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"strings"
	"testing"
)

func hx(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

// The fixed files must equal the byte layouts of beid-card.md §2.2.
func TestFixedPKCS15Files(t *testing.T) {
	for name, tc := range map[string]struct{ got, want []byte }{
		"EF(DIR)": {efDIR(), hx("61 23 4F 0C A0 00 00 01 77 50 4B 43 53 2D 31 35 50 06 42 45 4C 50 49 43 51 04 3F 00 DF 00 73 05 06 03 60 38 02")},
		"ODF":     {efODF(), hx("A0 0A 30 08 04 06 3F 00 DF 00 50 35 A4 0A 30 08 04 06 3F 00 DF 00 50 37 A8 0A 30 08 04 06 3F 00 DF 00 50 34")},
		"AODF": {efAODF(), append(append(hx("30 33 30 0F 0C 09"), "Basic PIN"...),
			hx("03 02 06 C0 30 03 04 01 01 A1 1B 30 19 03 02 02 0C 0A 01 00 02 01 04 02 01 08 80 01 01 04 01 FF 30 04 04 02 3F 00")...)},
	} {
		if !bytes.Equal(tc.got, tc.want) {
			t.Errorf("%s =\n% X\nwant\n% X", name, tc.got, tc.want)
		}
	}
}

func TestTokenInfo(t *testing.T) {
	serial := [16]byte{0x53, 0x4C, 0x49, 0x4E, 0x33, 0x66, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for applet, perso := range map[byte]byte{Applet17: 0x03, Applet18: 0x04} {
		got := efTokenInfo(applet, serial)
		want := append(append(hx("30 27 02 01 00 04 10"), serial[:]...), hx("80 06 42 45 4C 50 49 43 03 02 04 30 9E 04 00")...)
		want = append(want, perso, 0, 0)
		if !bytes.Equal(got, want) {
			t.Errorf("applet %02X TokenInfo =\n% X\nwant\n% X", applet, got, want)
		}
	}
}

// Entry headers of the content documents (lengths recomputed where the
// documents have typos: the 1.8 CDF authentication entry is 30 2F).
func TestDirectoryEntryHeaders(t *testing.T) {
	for _, tc := range []struct {
		name    string
		file    []byte
		headers []string
		size    int
	}{
		{"PrKDF 1.7", efPrKDF(Applet17), []string{"303A", "3039"}, 119},
		{"PrKDF 1.8", efPrKDF(Applet18), []string{"A03A", "A039"}, 119},
		{"CDF 1.7", efCDF(Applet17, true, true), []string{"302C", "3027", "3023", "3025"}, 163},
		{"CDF 1.8", efCDF(Applet18, true, true), []string{"302F", "302A", "3026", "3028"}, 175},
		{"CDF 1.7 no sign", efCDF(Applet17, true, false), []string{"302C", "3023", "3025"}, 163},
		{"CDF 1.8 no user certs", efCDF(Applet18, false, false), []string{"3026", "3028"}, 175},
	} {
		if len(tc.file) != tc.size {
			t.Errorf("%s: %d bytes, want %d", tc.name, len(tc.file), tc.size)
		}
		rest := tc.file
		for i, h := range tc.headers {
			var v asn1.RawValue
			var err error
			if rest, err = asn1.Unmarshal(rest, &v); err != nil {
				t.Fatalf("%s entry %d: %v", tc.name, i, err)
			}
			if got := strings.ToUpper(hex.EncodeToString(v.FullBytes[:2])); got != h {
				t.Errorf("%s entry %d header %s, want %s", tc.name, i, got, h)
			}
		}
		if len(bytes.Trim(rest, "\x00")) != 0 {
			t.Errorf("%s: %d bytes after the entries are not zero padding", tc.name, len(rest))
		}
	}
}

func TestPrKDFContent(t *testing.T) {
	for applet, bits := range map[byte]string{Applet17: "02 02 08 00", Applet18: "02 02 01 80"} {
		f := efPrKDF(applet)
		for _, want := range []string{"02 02 00 82", "02 02 00 83", "03 02 05 20", "03 03 06 00 40", "03 02 03 B8", "02 01 01"} {
			if !bytes.Contains(f, hx(want)) {
				t.Errorf("applet %02X PrKDF lacks %s", applet, want)
			}
		}
		if bytes.Count(f, hx("A1 0E 30 0C 30 06 04 04 3F 00 DF 00 "+bits)) != 2 {
			t.Errorf("applet %02X PrKDF: key path/size %s not in both entries", applet, bits)
		}
	}
}

func TestCDFPaths(t *testing.T) {
	f := efCDF(Applet18, false, true)
	if bytes.Contains(f, hx("3F 00 DF 00 50 38")) {
		t.Error("CDF lists the absent authentication certificate")
	}
	for _, fid := range []string{"39", "3A", "3B"} {
		if !bytes.Contains(f, hx("04 06 3F 00 DF 00 50 "+fid)) {
			t.Errorf("CDF lacks path …50%s", fid)
		}
	}
	if bytes.Contains(f, hx("50 3C")) {
		t.Error("CDF lists the RRN certificate, which real cards do not")
	}
}

func TestCertFilePadding(t *testing.T) {
	der := bytes.Repeat([]byte{0x30}, 700)
	for _, tc := range []struct {
		applet      byte
		pad, absent int
	}{{Applet17, 50, 1300}, {Applet18, 1100, 2500}} {
		f := certFile(tc.applet, der)
		if len(f) != len(der)+tc.pad || !bytes.Equal(f[:len(der)], der) || len(bytes.Trim(f[len(der):], "\x00")) != 0 {
			t.Errorf("applet %02X: certificate file %d bytes, want DER + %d zeros", tc.applet, len(f), tc.pad)
		}
		a := certFile(tc.applet, nil)
		if len(a) != tc.absent || len(bytes.Trim(a, "\x00")) != 0 {
			t.Errorf("applet %02X: absent certificate file %d bytes, want %d zeros", tc.applet, len(a), tc.absent)
		}
	}
}
