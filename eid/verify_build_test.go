package eid

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"slices"
	"testing"
)

// cardSpec describes a test card; the zero value is a 1.7 RSA card with
// a SHA-1 photo hash.
type cardSpec struct {
	ec         bool          // ECDSA P-384 RRN key (1.8, re-keyed 1.7)
	photoHash  crypto.Hash   // hash of tag 11; SHA-1 when 0
	sigHash    crypto.Hash   // RSA signature hash; the photo hash when 0
	basicKey   bool          // 1.8: file 4040 and tag 1A
	signer     crypto.Signer // signs instead of the RRN key
	unstripped bool          // sign the address with its padding (a bug)
	signCert   bool          // the card has a signature certificate
}

const (
	addressFileSize = 117 // fixed size of 4033 since perso v01
	sigFileSize     = 256 // 4032/4034 on re-keyed 1.7 EC cards
)

func tlvOf(tag byte, v string) TLVField { return TLVField{Tag: tag, Value: []byte(v)} }

// encodeSorted encodes fields in ascending tag order, as the card does.
func encodeSorted(fields ...TLVField) []byte {
	fields = slices.Clone(fields)
	slices.SortFunc(fields, func(a, b TLVField) int { return int(a.Tag) - int(b.Tag) })
	return EncodeTLV(fields)
}

var testChip = []byte{0x53, 0x4C, 0x49, 0x4E, 0x33, 0x66, 0x00, 0x29, 0x6C, 0xFF, 0x27, 0x88, 0x1F, 0x48, 0x09, 0x22}

// citizenFields is the identity of a Belgian citizen card (tags 01..13).
func citizenFields(photoHash []byte) []TLVField {
	return []TLVField{
		tlvOf(0x01, "592123456789"),
		{Tag: 0x02, Value: testChip},
		tlvOf(0x03, "15.03.2021"),
		tlvOf(0x04, "15.03.2031"),
		tlvOf(0x05, "Brussel"),
		tlvOf(0x06, "67063029659"),
		tlvOf(0x07, "De Smet"),
		tlvOf(0x08, "Marie Anne"),
		tlvOf(0x09, "J"),
		tlvOf(0x0A, "Belg"),
		tlvOf(0x0B, "Gent"),
		tlvOf(0x0C, "30 JUN 1967"),
		tlvOf(0x0D, "V"),
		tlvOf(0x0E, ""),
		tlvOf(0x0F, "01"),
		tlvOf(0x10, "0"),
		{Tag: 0x11, Value: photoHash},
		tlvOf(0x12, "00"),
		tlvOf(0x13, ""),
	}
}

func addressFile(street string) []byte {
	b := encodeSorted(tlvOf(0x01, street), tlvOf(0x02, "1000"), tlvOf(0x03, "Brussel"))
	return append(b, make([]byte, addressFileSize-len(b))...)
}

// samplePhoto is a stand-in JPEG of a realistic size.
func samplePhoto(seed byte) []byte {
	p := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}
	for i := 0; i < 2900; i++ {
		p = append(p, byte(i*31)^seed)
	}
	return append(p, 0xFF, 0xD9)
}

// buildCard makes the files of a card signed as beid-card.md §5.7 says.
func buildCard(t testing.TB, spec cardSpec) *Files {
	t.Helper()
	p := getPKI(t)
	if spec.photoHash == 0 {
		spec.photoHash = crypto.SHA1
	}
	f := &Files{
		Photo:    samplePhoto(0),
		Address:  addressFile("Wetstraat 16"),
		CACert:   padCert(p.ca.Raw, 50),
		RootCert: padCert(p.root.Raw, 50),
		AuthCert: padCert(p.auth.Raw, 50),
		SignCert: make([]byte, 1300), // no signature certificate
	}
	if spec.signCert {
		f.SignCert = padCert(p.sign.Raw, 50)
	}
	fields := citizenFields(hashOf(spec.photoHash, f.Photo))
	if spec.basicKey {
		key, err := x509.MarshalPKIXPublicKey(&p.basicKey.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		f.BasicKey = key
		fields = append(fields, TLVField{Tag: 0x1A, Value: hashOf(crypto.SHA384, key)})
	}
	f.Identity = encodeSorted(fields...)
	rrnKey, rrnCert := crypto.Signer(p.rrnRSA), p.rrnRSACert
	if spec.ec {
		rrnKey, rrnCert = p.rrnEC, p.rrnECCert
	}
	f.RRNCert = padCert(rrnCert.Raw, 50)
	if spec.signer != nil {
		rrnKey = spec.signer
	}
	hash := spec.sigHash
	if hash == 0 {
		hash = spec.photoHash
	}
	f.IdentitySig = signFile(t, rrnKey, hash, f.Identity)
	addr := rstripZeros(f.Address)
	if spec.unstripped {
		addr = f.Address
	}
	f.AddressSig = signFile(t, rrnKey, hash, joinBytes(addr, f.IdentitySig))
	return f
}

// signFile signs data as the National Register does: RSA PKCS#1 v1.5 with
// hash, or ECDSA SHA-384 stored DER in a zero-padded file.
func signFile(t testing.TB, key crypto.Signer, hash crypto.Hash, data []byte) []byte {
	t.Helper()
	switch k := key.(type) {
	case *rsa.PrivateKey:
		sig, err := rsa.SignPKCS1v15(rand.Reader, k, hash, hashOf(hash, data))
		if err != nil {
			t.Fatal(err)
		}
		return sig
	case *ecdsa.PrivateKey:
		sig, err := ecdsa.SignASN1(rand.Reader, k, hashOf(crypto.SHA384, data))
		if err != nil {
			t.Fatal(err)
		}
		return append(sig, make([]byte, sigFileSize-len(sig))...)
	}
	t.Fatalf("unsupported key %T", key)
	return nil
}

// resignAddress recomputes 4034 after a test changed 4032.
func resignAddress(t testing.TB, f *Files, key crypto.Signer, hash crypto.Hash) {
	t.Helper()
	f.AddressSig = signFile(t, key, hash, joinBytes(rstripZeros(f.Address), f.IdentitySig))
}
