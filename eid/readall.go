package eid

import (
	"errors"
	"fmt"
)

// FullRead lists every file a complete read of this card covers: the
// identity data, its signatures, the photo, the certificates and, on 1.8,
// the basic public key.
func (c *Card) FullRead() []FileID {
	ids := []FileID{FileIdentity, FileIdentitySig, FileAddress, FileAddressSig, FilePhoto}
	if c.Data.AppletVersion >= Applet18 {
		ids = append(ids, FileBasicKey)
	}
	return append(ids, FileAuthCert, FileSignCert, FileCACert, FileRootCert, FileRRNCert)
}

// Read reads the given files inside one transaction, so that no other
// application's APDUs interleave. A certificate file the card does not
// have is left nil; any other missing file is an error.
func (c *Card) Read(ids ...FileID) (*Files, error) {
	files := &Files{}
	err := c.t.Transaction(func() error {
		for _, id := range ids {
			slot := files.slot(id)
			if slot == nil {
				return fmt.Errorf("eid: %s (%X) is not a file this package reads", id.Name, id.Path)
			}
			data, err := c.readFile(id)
			if errors.Is(err, ErrFileNotFound) && isCertFile(id) {
				continue
			}
			if err != nil {
				return err
			}
			*slot = data
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
