package eid

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
)

// FullRead lists every file a complete read of this card covers: the
// certificates, the identity data, its signatures, the photo and, on 1.8,
// the basic public key. The RRN certificate comes before the signature
// files, whose layout its key tells (see layoutOf).
func (c *Card) FullRead() []FileID {
	ids := []FileID{FileAuthCert, FileSignCert, FileCACert, FileRootCert, FileRRNCert,
		FileIdentity, FileIdentitySig, FileAddress, FileAddressSig, FilePhoto}
	if c.Data.AppletVersion >= Applet18 {
		ids = append(ids, FileBasicKey)
	}
	return ids
}

// Read reads the given files inside one transaction, so that no other
// application's APDUs interleave. A certificate file the card does not
// have is left nil; any other missing file is an error.
func (c *Card) Read(ids ...FileID) (*Files, error) {
	files := &Files{}
	err := c.t.Transaction(func() error {
		var rrn *x509.Certificate
		for _, id := range ids {
			slot := files.slot(id)
			if slot == nil {
				return fmt.Errorf("eid: %s (%X) is not a file this package reads", id.Name, id.Path)
			}
			data, err := c.readFile(id, layoutOf(id, rrn))
			if errors.Is(err, ErrFileNotFound) && isCertFile(id) {
				continue
			}
			if err != nil {
				return err
			}
			*slot = data
			if bytes.Equal(id.Path, FileRRNCert.Path) {
				rrn, _ = x509.ParseCertificate(data) // unparsable: read signatures to their end
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// slot returns the field of f that holds file id.
func (f *Files) slot(id FileID) *[]byte {
	m := map[string]*[]byte{
		string(FileIdentity.Path):    &f.Identity,
		string(FileIdentitySig.Path): &f.IdentitySig,
		string(FileAddress.Path):     &f.Address,
		string(FileAddressSig.Path):  &f.AddressSig,
		string(FilePhoto.Path):       &f.Photo,
		string(FileBasicKey.Path):    &f.BasicKey,
		string(FileAuthCert.Path):    &f.AuthCert,
		string(FileSignCert.Path):    &f.SignCert,
		string(FileCACert.Path):      &f.CACert,
		string(FileRootCert.Path):    &f.RootCert,
		string(FileRRNCert.Path):     &f.RRNCert,
	}
	return m[string(id.Path)]
}
