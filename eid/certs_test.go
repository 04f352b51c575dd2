package eid

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseCertificateFile(t *testing.T) {
	p := getPKI(t)
	tests := []struct {
		name string
		file []byte
	}{
		{"exact DER", p.rrnRSACert.Raw},
		{"1.7 padding", padCert(p.rrnRSACert.Raw, 50)},
		{"1.8 padding", padCert(p.auth.Raw, 1100)},
		{"leftover bytes of an older certificate", append(append([]byte{}, p.root.Raw...), 0x30, 0x82, 0x05, 0x00, 0xAA)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := ParseCertificateFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(tc.file, c.Raw) {
				t.Error("parsed certificate is not the start of the file")
			}
		})
	}
}

func TestParseCertificateFileErrors(t *testing.T) {
	p := getPKI(t)
	for _, absent := range [][]byte{nil, {}, make([]byte, 1300), make([]byte, 2500)} {
		if _, err := ParseCertificateFile(absent); !errors.Is(err, ErrNoCertificate) {
			t.Errorf("%d zero bytes: err = %v, want ErrNoCertificate", len(absent), err)
		}
	}
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"truncated", p.root.Raw[:200], "DER header announces"},
		{"not a SEQUENCE", []byte{0x04, 0x02, 0x01, 0x02}, "starts with 04"},
		{"garbage SEQUENCE", []byte{0x30, 0x03, 0x02, 0x01, 0x00, 0x00}, "certificate file: x509"},
	}
	for _, tc := range tests {
		if _, err := ParseCertificateFile(tc.file); err == nil || !strings.Contains(err.Error(), tc.want) ||
			errors.Is(err, ErrNoCertificate) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

func TestDERObjectLength(t *testing.T) {
	big := make([]byte, 70000)
	tests := []struct {
		name string
		head []byte
		want int
		err  string
	}{
		{"short form", []byte{0x30, 0x05}, 7, ""},
		{"81 form", []byte{0x30, 0x81, 0x80}, 131, ""},
		{"82 form", []byte{0x30, 0x82, 0x01, 0x00}, 260, ""},
		{"83 form", []byte{0x30, 0x83, 0x01, 0x00, 0x00}, 65541, ""},
		{"indefinite", []byte{0x30, 0x80}, 0, "not supported"},
		{"4-byte length", []byte{0x30, 0x84, 0, 0, 0, 1}, 0, "not supported"},
		{"length bytes cut", []byte{0x30, 0x82, 0x01}, 0, "truncated"},
		{"one byte", []byte{0x30}, 0, "too short"},
	}
	for _, tc := range tests {
		b := big
		if tc.err != "" {
			b = tc.head // nothing after the header
		} else {
			copy(b, tc.head)
		}
		n, err := derObjectLength(b)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || n != tc.want {
			t.Errorf("%s: %d, %v; want %d", tc.name, n, err, tc.want)
		}
	}
}

func TestParseCertificates(t *testing.T) {
	p := getPKI(t)
	f := buildCard(t, cardSpec{})
	c, err := ParseCertificates(f)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Auth.Equal(p.auth) || c.Sign != nil || !c.CA.Equal(p.ca) || !c.Root.Equal(p.root) || !c.RRN.Equal(p.rrnRSACert) {
		t.Errorf("certificates = %+v", c)
	}
	// A kids card: no user certificates at all; and the root unread.
	f.AuthCert, f.SignCert, f.RootCert = make([]byte, 2500), make([]byte, 2500), nil
	if c, err = ParseCertificates(f); err != nil || c.Auth != nil || c.Root != nil || c.RRN == nil {
		t.Errorf("kids card: %+v, %v", c, err)
	}
	// CA, root and RRN certificates are on every card.
	f.RootCert, f.RRNCert = make([]byte, 1300), []byte{0x30, 0x82, 0x10}
	c, err = ParseCertificates(f)
	if !errors.Is(err, ErrNoCertificate) || !strings.Contains(err.Error(), "root CA certificate: ") ||
		!strings.Contains(err.Error(), "RRN certificate: certificate file: DER length of 2 bytes is truncated") {
		t.Errorf("err = %v", err)
	}
	if c == nil || c.CA == nil {
		t.Error("certificates that parsed must be returned with the error")
	}
}
