package agent

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	_ "crypto/sha256" // registers SHA-256 for crypto.Hash.New
	_ "crypto/sha512" // registers SHA-384 and SHA-512
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid"
)

// Nonce length bounds, as Web eID accepts them (44 = base64 of 32 bytes).
const (
	MinNonceLength = 44
	MaxNonceLength = 128
)

// AppVersionURL is the token's appVersion: this application and version.
func AppVersionURL(version string) string {
	return "https://github.com/eidbridge/eidbridge/releases/tag/" + version
}

func parseAuthenticate(raw json.RawMessage) (any, *Error) {
	var p AuthenticateParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	n := p.ChallengeNonce
	if len(n) < MinNonceLength || len(n) > MaxNonceLength || !isPrintableASCII(n) {
		return nil, invalid("challengeNonce must be %d to %d printable ASCII characters (the base64 nonce the server issued)",
			MinNonceLength, MaxNonceLength)
	}
	switch p.Format {
	case "":
		p.Format = TokenFormat
	case TokenFormat, TokenFormat11:
	default:
		return nil, invalid("format %q: want %q or %q", shorten(p.Format), TokenFormat, TokenFormat11)
	}
	return p, nil
}

// authenticate signs H(H(origin) ‖ H(nonce)) with the authentication key
// and returns a Web eID token. The origin is the handshake's, so a token
// made for one site is worthless at another. The PIN is asked every time,
// as the official middleware and Web eID do: the card is logged off
// before (when a right is held) and after, so a PIN typed for one site
// never serves another. A web-eid:1.1 token also carries the signing
// certificate, which the dialog says before the PIN is typed.
func (cl *call) authenticate(params any) (any, error) {
	p := params.(AuthenticateParams)
	card, err := cl.open()
	if err != nil {
		return nil, err
	}
	signer, err := cl.s.certs.Signer(card, eid.KeyAuth, nil)
	if err != nil {
		return nil, certError(err, "authentication")
	}
	cert := signer.Certificate()
	alg, hash, err := tokenAlgorithm(cert)
	if err != nil {
		return nil, err
	}
	var signCert *x509.Certificate
	if p.Format == TokenFormat11 {
		if signCert, err = cl.signingCert(card); err != nil {
			return nil, err
		}
	}
	digest := TokenDigest(hash, cl.c.origin.String(), p.ChallengeNonce)
	d := cl.dialog(ui.PurposeAuthenticate, holderFromCert(cert))
	d.base.SigningCertificate = signCert != nil
	st, err := pinStatus(card)
	if err != nil {
		return nil, err
	}
	if st.Verified { // a right from earlier (another site, another program) must not stand in for this PIN
		cl.logOff(card)
	}
	var sig []byte
	err = d.withPIN(func(prompt eid.PINPrompt) (err error) {
		sig, err = card.Sign(eid.KeyAuth, hash, digest, prompt)
		return err
	})
	cl.logOff(card)
	if err == nil && !d.shown { // another program verified the PIN in between
		err = d.consent(st.TriesLeft)
	}
	if err != nil {
		return nil, err
	}
	tok := AuthToken{
		UnverifiedCertificate: base64.StdEncoding.EncodeToString(cert.Raw),
		Algorithm:             alg,
		Signature:             base64.StdEncoding.EncodeToString(sig),
		Format:                p.Format,
		AppVersion:            AppVersionURL(cl.s.opts.Version),
	}
	if signCert != nil {
		tok.UnverifiedSigningCertificate = base64.StdEncoding.EncodeToString(signCert.Raw)
		tok.SupportedSignatureAlgorithms = signAlgorithms(signCert)
	}
	return tok, nil
}

// TokenDigest is what the card signs for a token: H(H(origin) ‖ H(nonce)).
func TokenDigest(h crypto.Hash, origin, nonce string) []byte {
	sum := func(b []byte) []byte { w := h.New(); w.Write(b); return w.Sum(nil) }
	return sum(append(sum([]byte(origin)), sum([]byte(nonce))...))
}

// tokenAlgorithm picks the JWA name and hash by key: RS256 for the RSA
// keys of applet 1.7, ES256/384/512 by curve for EC keys (P-384 on 1.8).
func tokenAlgorithm(cert *x509.Certificate) (string, crypto.Hash, error) {
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		return "RS256", crypto.SHA256, nil
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return "ES256", crypto.SHA256, nil
		case elliptic.P384():
			return "ES384", crypto.SHA384, nil
		case elliptic.P521():
			return "ES512", crypto.SHA512, nil
		}
	}
	return "", 0, fmt.Errorf("%w: authentication key of type %T", ErrUnsupportedCard, cert.PublicKey)
}

// certError reports a missing certificate plainly.
func certError(err error, kind string) error {
	if errorCode(err) == CodeUnsupportedCard {
		return errorf(CodeUnsupportedCard, "This card has no %s certificate (kids cards and some others have none).", kind)
	}
	return err
}
