package eid

// FileID names one elementary file by its absolute path from the MF.
type FileID struct {
	Name string
	Path []byte // e.g. 3F 00 DF 01 40 31
}

// The files a full read covers (beid-card.md §2.1).
var (
	FileIdentity    = FileID{"identity", []byte{0x3F, 0x00, 0xDF, 0x01, 0x40, 0x31}}
	FileIdentitySig = FileID{"identity signature", []byte{0x3F, 0x00, 0xDF, 0x01, 0x40, 0x32}}
	FileAddress     = FileID{"address", []byte{0x3F, 0x00, 0xDF, 0x01, 0x40, 0x33}}
	FileAddressSig  = FileID{"address signature", []byte{0x3F, 0x00, 0xDF, 0x01, 0x40, 0x34}}
	FilePhoto       = FileID{"photo", []byte{0x3F, 0x00, 0xDF, 0x01, 0x40, 0x35}}
	FileBasicKey    = FileID{"basic public key", []byte{0x3F, 0x00, 0xDF, 0x01, 0x40, 0x40}}
	FileAuthCert    = FileID{"authentication certificate", []byte{0x3F, 0x00, 0xDF, 0x00, 0x50, 0x38}}
	FileSignCert    = FileID{"signature certificate", []byte{0x3F, 0x00, 0xDF, 0x00, 0x50, 0x39}}
	FileCACert      = FileID{"citizen CA certificate", []byte{0x3F, 0x00, 0xDF, 0x00, 0x50, 0x3A}}
	FileRootCert    = FileID{"root CA certificate", []byte{0x3F, 0x00, 0xDF, 0x00, 0x50, 0x3B}}
	FileRRNCert     = FileID{"RRN certificate", []byte{0x3F, 0x00, 0xDF, 0x00, 0x50, 0x3C}}
)

// Files holds raw file contents as read from the card; a nil slice is a
// file that was not read. Data files keep their padding, since the
// signatures cover those exact bytes. Certificate and basic-key files hold
// the DER object only: their zero padding is not read (an absent
// certificate reads as one chunk of zeros).
type Files struct {
	Identity    []byte // 4031
	IdentitySig []byte // 4032
	Address     []byte // 4033, zero-padded
	AddressSig  []byte // 4034
	Photo       []byte // 4035, JPEG
	BasicKey    []byte // 4040, applet 1.8 only
	AuthCert    []byte // 5038, DER; zeros when the card has none
	SignCert    []byte // 5039
	CACert      []byte // 503A
	RootCert    []byte // 503B
	RRNCert     []byte // 503C
}
