package integration

import (
	"bytes"

	"github.com/eidbridge/eidbridge/eid"
)

// fileOf returns the field of f that holds file id.
func fileOf(f *eid.Files, id eid.FileID) []byte {
	fields := []struct {
		id   eid.FileID
		data []byte
	}{
		{eid.FileIdentity, f.Identity}, {eid.FileIdentitySig, f.IdentitySig},
		{eid.FileAddress, f.Address}, {eid.FileAddressSig, f.AddressSig},
		{eid.FilePhoto, f.Photo}, {eid.FileBasicKey, f.BasicKey},
		{eid.FileAuthCert, f.AuthCert}, {eid.FileSignCert, f.SignCert},
		{eid.FileCACert, f.CACert}, {eid.FileRootCert, f.RootCert}, {eid.FileRRNCert, f.RRNCert},
	}
	for _, fl := range fields {
		if bytes.Equal(fl.id.Path, id.Path) {
			return fl.data
		}
	}
	panic("no field for file " + id.Name)
}

// isDERFile tells the files holding one DER object and zero padding: the
// certificates (3F00 DF00 50xx) and the applet 1.8 basic key (4040).
func isDERFile(id eid.FileID) bool {
	return bytes.HasPrefix(id.Path, []byte{0x3F, 0x00, 0xDF, 0x00, 0x50}) ||
		bytes.Equal(id.Path, eid.FileBasicKey.Path)
}

// derLen reads the length of the DER SEQUENCE at the start of b,
// independently of the eid package; ok is false when b holds none (an
// absent certificate is all zeros).
func derLen(b []byte) (n int, ok bool) {
	if len(b) < 2 || b[0] != 0x30 {
		return 0, false
	}
	switch {
	case b[1] < 0x80:
		return 2 + int(b[1]), true
	case b[1] == 0x81 && len(b) >= 3:
		return 3 + int(b[2]), true
	case b[1] == 0x82 && len(b) >= 4:
		return 4 + int(b[2])<<8 + int(b[3]), true
	}
	return 0, false
}

// needed is what a reader must fetch of a stored file to have it all:
// the whole file for data files (the address signature covers the
// identity signature's padding), the DER object for certificates, the
// basic key and, with the 1.8 fixtures' EC RRN key, the address
// signature, and one byte of an absent (all-zero) object.
func needed(id eid.FileID, stored []byte, applet byte) int {
	if !isDERFile(id) && !(applet == 0x18 && bytes.Equal(id.Path, eid.FileAddressSig.Path)) {
		return len(stored)
	}
	if n, ok := derLen(stored); ok {
		return n
	}
	return 1
}

// expected is what the eid package returns for a stored file: data files
// whole, DER objects exactly, and an absent object as its first chunk of
// zeros.
func expected(id eid.FileID, stored []byte, chunk int, applet byte) []byte {
	n := needed(id, stored, applet)
	if isDERFile(id) && n == 1 {
		n = min(chunk, len(stored))
	}
	return stored[:n]
}
