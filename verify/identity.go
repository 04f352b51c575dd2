package verify

import (
	"crypto/x509"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/eid"
)

// IdentityData is what the agent's identity read returns, base64-decoded:
// the card files exactly as read (padding included, since the National
// Register's signatures cover those bytes). Address and photo are
// optional; the address needs its signature.
type IdentityData struct {
	Identity          []byte `json:"identity"`          // 4031
	IdentitySignature []byte `json:"identitySignature"` // 4032
	Address           []byte `json:"address,omitempty"` // 4033
	AddressSignature  []byte `json:"addressSignature,omitempty"`
	Photo             []byte `json:"photo,omitempty"` // 4035, JPEG
	RRNCertificate    []byte `json:"rrnCertificate"`  // 503C
}

// IdentityOptions configure VerifyIdentity.
type IdentityOptions struct {
	// Roots are the trusted Belgium Root CAs the RRN certificate must
	// chain to. Required: without them the data proves nothing.
	Roots *x509.CertPool
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Revocation, when set, also checks the RRN certificate (the National
	// Register's signing certificate, issued by the root) with the same
	// errors as the Validator's check.
	Revocation RevocationChecker
}

// VerifiedIdentity is identity data whose signatures verified.
type VerifiedIdentity struct {
	Identity       *eid.Identity
	Address        *eid.Address // nil when no address was given
	NationalNumber eid.NationalNumber
	Report         eid.Report // every check made, for logs and audits
	// Revocation is the RRN certificate's revocation status in words;
	// RevocationNotChecked without IdentityOptions.Revocation.
	Revocation string
}

// VerifyIdentity checks identity data with eid.Verify and decodes it. It
// requires the identity file, its signature and the RRN certificate; a
// verified identity signature; the RRN certificate chaining to opts.Roots;
// and every check on what was given (address signature, photo hash) to
// pass; and, with opts.Revocation, the RRN certificate not revoked. On a
// failed verification the result holds the report only; errors wrap
// ErrIdentity, or ErrRevocation for the revocation check.
func VerifyIdentity(d IdentityData, opts IdentityOptions) (*VerifiedIdentity, error) {
	if err := d.complete(opts); err != nil {
		return nil, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	files := &eid.Files{Identity: d.Identity, IdentitySig: d.IdentitySignature, Address: d.Address,
		AddressSig: d.AddressSignature, Photo: d.Photo, RRNCert: d.RRNCertificate}
	report := eid.Verify(files, eid.VerifyOptions{Roots: opts.Roots, Time: now()})
	out := &VerifiedIdentity{Report: report}
	if err := report.Err(); err != nil {
		return out, fmt.Errorf("%w: %v", ErrIdentity, err)
	}
	if c, _ := report.Find(eid.CheckRRNChain); c.Status != eid.StatusOK {
		return out, fmt.Errorf("%w: RRN certificate chain %s: %s", ErrIdentity, c.Status, c.Detail)
	}
	rev, err := rrnRevocation(d.RRNCertificate, opts, now())
	if err != nil {
		return out, err
	}
	out.Revocation = rev
	return out, out.decode(d)
}

// complete rejects missing pieces before any cryptography.
func (d IdentityData) complete(opts IdentityOptions) error {
	switch {
	case opts.Roots == nil:
		return fmt.Errorf("%w: no trusted roots (IdentityOptions.Roots)", ErrConfig)
	case len(d.Identity) == 0:
		return fmt.Errorf("%w: no identity file", ErrIdentity)
	case len(d.IdentitySignature) == 0:
		return fmt.Errorf("%w: no identity signature", ErrIdentity)
	case len(d.RRNCertificate) == 0:
		return fmt.Errorf("%w: no RRN certificate", ErrIdentity)
	case len(d.Address) > 0 && len(d.AddressSignature) == 0:
		return fmt.Errorf("%w: address without its signature", ErrIdentity)
	case len(d.Address) == 0 && len(d.AddressSignature) > 0:
		return fmt.Errorf("%w: address signature without the address", ErrIdentity)
	}
	return nil
}

// decode parses the verified files.
func (v *VerifiedIdentity) decode(d IdentityData) error {
	id, err := eid.ParseIdentity(d.Identity)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrIdentity, err)
	}
	nn, err := eid.ParseNationalNumber(id.NationalNumber)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrIdentity, err)
	}
	var addr *eid.Address
	if len(d.Address) > 0 {
		if addr, err = eid.ParseAddress(d.Address); err != nil {
			return fmt.Errorf("%w: %v", ErrIdentity, err)
		}
	}
	v.Identity, v.NationalNumber, v.Address = id, nn, addr
	return nil
}

// SameCitizen binds identity data to an authentication: it fails with
// ErrCitizenMismatch unless the identity's national number is the one in
// the authenticated citizen's certificate. The numbers themselves are
// left out of the error, which may end up in logs.
func SameCitizen(c *Citizen, id *VerifiedIdentity) error {
	switch {
	case c == nil || id == nil || id.Identity == nil:
		return fmt.Errorf("%w: missing citizen or verified identity", ErrCitizenMismatch)
	case c.NationalNumber.Digits == "" || c.NationalNumber.Digits != id.NationalNumber.Digits:
		return fmt.Errorf("%w: the identity file's national number differs from the authentication certificate's", ErrCitizenMismatch)
	}
	return nil
}

// VerifyCitizenIdentity is VerifyIdentity followed by SameCitizen.
func VerifyCitizenIdentity(c *Citizen, d IdentityData, opts IdentityOptions) (*VerifiedIdentity, error) {
	id, err := VerifyIdentity(d, opts)
	if err != nil {
		return id, err
	}
	if err := SameCitizen(c, id); err != nil {
		return id, err
	}
	return id, nil
}
