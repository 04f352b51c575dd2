package virtualcard

// PKCS#15 files of DF(BELPIC), byte for byte as the content documents
// lay them out (beid-card.md §2.2; content docs v4.01 for 1.7, v5.4 for
// 1.8). Lengths are computed from the content: the documents' own length
// bytes have typos.

var (
	aidBelpic  = []byte{0xA0, 0x00, 0x00, 0x01, 0x77, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35}
	pathBelpic = []byte{0x3F, 0x00, 0xDF, 0x00}
)

// der encodes one DER element with a short or long form length.
func der(tag byte, parts ...[]byte) []byte {
	var body []byte
	for _, p := range parts {
		body = append(body, p...)
	}
	n := len(body)
	out := []byte{tag}
	switch {
	case n < 0x80:
		out = append(out, byte(n))
	case n < 0x100:
		out = append(out, 0x81, byte(n))
	default:
		out = append(out, 0x82, byte(n>>8), byte(n))
	}
	return append(out, body...)
}

func b(v ...byte) []byte { return v }

// efDIR is 2F00: one application template for DF(BELPIC).
func efDIR() []byte {
	return der(0x61,
		der(0x4F, aidBelpic),
		der(0x50, []byte("BELPIC")),
		der(0x51, pathBelpic),
		der(0x73, der(0x06, b(0x60, 0x38, 0x02)))) // OID 2.16.56.2
}

// efODF is 5031: PrKDF [0], CDF [4], AODF [8]; there is no PuKDF.
func efODF() []byte {
	ref := func(tag, fid byte) []byte {
		return der(tag, der(0x30, der(0x04, pathBelpic, b(0x50, fid))))
	}
	return append(append(ref(0xA0, 0x35), ref(0xA4, 0x37)...), ref(0xA8, 0x34)...)
}

// efTokenInfo is 5032. The version bytes are graphical perso 00,
// electrical perso 03 (1.7, 2009 chip) or 04 (1.8), interface 00, RFU 00.
func efTokenInfo(applet byte, serial [16]byte) []byte {
	perso := byte(0x03)
	if applet == Applet18 {
		perso = 0x04
	}
	return der(0x30,
		der(0x02, b(0x00)),
		der(0x04, serial[:]),
		der(0x80, []byte("BELPIC")),
		der(0x03, b(0x04, 0x30)), // prnGeneration, eidCompliant
		der(0x9E, b(0x00, perso, 0x00, 0x00)))
}

// efAODF is 5034: the single "Basic PIN", reference 01.
func efAODF() []byte {
	return der(0x30,
		der(0x30, der(0x0C, []byte("Basic PIN")), der(0x03, b(0x06, 0xC0))),
		der(0x30, der(0x04, b(0x01))),
		der(0xA1, der(0x30,
			der(0x03, b(0x02, 0x0C)), // initialized, needs-padding
			der(0x0A, b(0x00)),       // bcd (really the GP block)
			der(0x02, b(0x04)),       // minLength
			der(0x02, b(0x08)),       // storedLength
			der(0x80, b(0x01)),       // pinReference
			der(0x04, b(0xFF)),       // padChar
			der(0x30, der(0x04, b(0x3F, 0x00))))))
}

// efPrKDF is 5035: the authentication (82) and non-repudiation (83) keys.
// Both are listed on every card, kids cards included: the content doc
// says all keys are present; only the certificate files differ. 1.7
// entries are privateRSAKey SEQUENCEs with a 2048-bit modulus length
// (v4.01 still shows 1024, a stale value: 1.7 keys are 2048); 1.8
// entries are [0] privateECKey with 384.
func efPrKDF(applet byte) []byte {
	auth := prkEntry(applet, "Authentication", false, 0x02, b(0x05, 0x20), 0x82)
	sign := prkEntry(applet, "Signature", true, 0x03, b(0x06, 0x00, 0x40), 0x83)
	return append(auth, sign...)
}

func prkEntry(applet byte, label string, consent bool, id byte, usage []byte, ref byte) []byte {
	common := [][]byte{der(0x0C, []byte(label)), der(0x03, b(0x06, 0xC0)), der(0x04, b(0x01))}
	if consent {
		common = append(common, der(0x02, b(0x01))) // PIN for every use
	}
	tag, bits := byte(0x30), b(0x08, 0x00)
	if applet == Applet18 {
		tag, bits = 0xA0, b(0x01, 0x80)
	}
	return der(tag,
		der(0x30, common...),
		der(0x30, der(0x04, b(id)), der(0x03, usage), der(0x03, b(0x03, 0xB8)), der(0x02, b(0x00, ref))),
		der(0xA1, der(0x30, der(0x30, der(0x04, pathBelpic)), der(0x02, bits))))
}

// efCDF is 5037: authentication, signature, CA and root certificates.
// An absent user certificate's entry is left out, the rest moves up, and
// the file is zero-filled to its full size.
func efCDF(applet byte, hasAuth, hasSign bool) []byte {
	type entry struct {
		label     string
		id, fid   byte
		authority bool
		present   bool
	}
	entries := []entry{
		{"Authentication", 0x02, 0x38, false, hasAuth},
		{"Signature", 0x03, 0x39, false, hasSign},
		{"CA", 0x04, 0x3A, true, true},
		{"Root", 0x06, 0x3B, true, true},
	}
	var out []byte
	full := 0
	for _, e := range entries {
		enc := cdfEntry(applet, e.label, e.id, e.fid, e.authority)
		full += len(enc)
		if e.present {
			out = append(out, enc...)
		}
	}
	return append(out, make([]byte, full-len(out))...)
}

func cdfEntry(applet byte, label string, id, fid byte, authority bool) []byte {
	flags := b(0x06, 0xC0) // private, modifiable (1.7)
	if applet == Applet18 {
		flags = b(0x06, 0x40) // modifiable (1.8)
	}
	attrs := der(0x04, b(id))
	if authority {
		attrs = append(attrs, der(0x01, b(0xFF))...)
	}
	if applet == Applet18 {
		attrs = append(attrs, der(0x83, b(0x00))...) // implicitTrust FALSE
	}
	return der(0x30,
		der(0x30, der(0x0C, []byte(label)), der(0x03, flags), der(0x04, b(0x01))),
		der(0x30, attrs),
		der(0xA1, der(0x30, der(0x30, der(0x04, pathBelpic, b(0x50, fid))))))
}
