package eid

// photoHashLen is the length of tag 11, which picks the RSA hash; 0 when
// the identity file does not give it.
func (v *verifier) photoHashLen() int {
	return len(v.tags[TagPhotoHash])
}

func (v *verifier) identitySignature() checkResult {
	f := v.f
	switch {
	case f.Identity == nil:
		return resNotChecked("identity file (4031) was not read")
	case f.IdentitySig == nil:
		return resFailed("identity file present but its signature file (4032) was not read")
	}
	if r, bad := v.rrn.unusable(true); bad {
		return r
	}
	alg, err := verifyRRNSignature(v.rrn.cert.PublicKey, f.Identity, f.IdentitySig, v.photoHashLen())
	if err != nil {
		return resFailed("identity signature %v", err)
	}
	return resOK("verified over the %d-byte identity file: %s", len(f.Identity), alg)
}

func (v *verifier) addressSignature() checkResult {
	f := v.f
	switch {
	case f.Address == nil:
		return resNotChecked("address file (4033) was not read")
	case f.AddressSig == nil:
		return resFailed("address file present but its signature file (4034) was not read")
	case f.IdentitySig == nil:
		return resFailed("the address signature also covers the identity signature file (4032), which was not read")
	}
	if r, bad := v.rrn.unusable(true); bad {
		return r
	}
	addr := rstripZeros(f.Address)
	pub := v.rrn.cert.PublicKey
	alg, err := verifyRRNSignature(pub, joinBytes(addr, f.IdentitySig), f.AddressSig, v.photoHashLen())
	if err == nil {
		return resOK("verified over the %d-byte address without padding and the %d-byte identity signature file: %s",
			len(addr), len(f.IdentitySig), alg)
	}
	// Say so when the signer forgot to strip the padding: a common
	// mistake (an old spec version got it wrong) worth telling apart.
	if len(addr) != len(f.Address) {
		if _, e := verifyRRNSignature(pub, joinBytes(f.Address, f.IdentitySig), f.AddressSig, v.photoHashLen()); e == nil {
			return resFailed("address signature %v over the address without its zero padding; it was made over the padded file, which the card never does", err)
		}
	}
	return resFailed("address signature %v", err)
}

func joinBytes(a, b []byte) []byte {
	return append(append(make([]byte, 0, len(a)+len(b)), a...), b...)
}

func (v *verifier) photoHash() checkResult {
	if v.f.Photo == nil {
		return resNotChecked("photo file (4035) was not read")
	}
	hash, has, r := v.identityTag(TagPhotoHash, "photo hash")
	switch {
	case r != nil:
		return *r
	case !has:
		return resFailed("identity file has no photo hash (tag 11)")
	}
	if err := VerifyPhotoHash(v.f.Photo, hash); err != nil {
		return resFailed("%v", err)
	}
	h, _ := photoHashAlgorithm(len(hash))
	return resOK("%v of the %d-byte photo matches tag 11", h, len(v.f.Photo))
}

func (v *verifier) basicKeyHash() checkResult {
	key := v.f.BasicKey
	if v.f.Identity == nil && key == nil {
		return resNotChecked("neither the identity file (4031) nor the basic public key (4040) was read")
	}
	hash, has, r := v.identityTag(TagBasicKeyHash, "basic key hash")
	switch {
	case r != nil:
		return *r
	case !has && len(key) == 0:
		return checkResult{StatusNotApplicable, "no basic key hash (tag 1A) in the identity file: applet before 1.8"}
	case !has:
		return resFailed("basic public key file (4040) present but the identity file carries no hash of it (tag 1A)")
	case key == nil:
		return resNotChecked("basic public key file (4040) was not read")
	}
	if err := VerifyBasicKeyHash(key, hash); err != nil {
		return resFailed("%v", err)
	}
	return resOK("SHA-384 of the %d-byte basic public key file matches tag 1A", len(key))
}
