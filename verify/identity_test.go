package verify_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/verify"
)

func identityData(f *fixture) verify.IdentityData {
	return verify.IdentityData{
		Identity: f.files.Identity, IdentitySignature: f.files.IdentitySig,
		Address: f.files.Address, AddressSignature: f.files.AddressSig,
		Photo: f.files.Photo, RRNCertificate: f.files.RRNCert,
	}
}

func (f *fixture) identityOptions() verify.IdentityOptions {
	return verify.IdentityOptions{Roots: f.roots, Now: func() time.Time { return f.now }}
}

func TestVerifyIdentityFixtures(t *testing.T) {
	for _, c := range []struct{ card, alg string }{{"citizen-1.7", "RS256"}, {"citizen-1.8", "ES384"}, {"utf8-1.8", "ES384"}} {
		t.Run(c.card, func(t *testing.T) {
			f := loadFixture(t, c.card)
			// The agent sends base64 in JSON; decode it as a site would.
			wire, err := json.Marshal(identityData(f))
			if err != nil {
				t.Fatal(err)
			}
			var d verify.IdentityData
			if err := json.Unmarshal(wire, &d); err != nil {
				t.Fatal(err)
			}
			id, err := verify.VerifyIdentity(d, f.identityOptions())
			if err != nil {
				t.Fatalf("VerifyIdentity: %v", err)
			}
			want, _ := eid.ParseIdentity(f.files.Identity)
			if id.Identity.NationalNumber != want.NationalNumber || id.NationalNumber.Digits != want.NationalNumber ||
				id.Address == nil || id.Address.Municipality == "" {
				t.Errorf("identity %+v, address %+v", id.Identity, id.Address)
			}
			for _, name := range []string{eid.CheckIdentitySignature, eid.CheckAddressSignature, eid.CheckPhotoHash, eid.CheckRRNChain} {
				if ch, _ := id.Report.Find(name); ch.Status != eid.StatusOK {
					t.Errorf("%s: %s (%s)", name, ch.Status, ch.Detail)
				}
			}
			// Bound to the person who authenticated with the same card.
			citizen, err := f.validator(t).Validate(makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: c.alg}), testNonce)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := verify.VerifyCitizenIdentity(citizen, d, f.identityOptions()); err != nil {
				t.Errorf("same citizen: %v", err)
			}
		})
	}
}

func TestVerifyIdentityMinimal(t *testing.T) {
	f := loadFixture(t, "citizen-1.7")
	d := identityData(f)
	d.Address, d.AddressSignature, d.Photo = nil, nil, nil
	id, err := verify.VerifyIdentity(d, f.identityOptions())
	if err != nil || id.Address != nil || id.Identity == nil {
		t.Fatalf("identity only: %+v, %v", id, err)
	}
	if ch, _ := id.Report.Find(eid.CheckPhotoHash); ch.Status != eid.StatusNotChecked {
		t.Errorf("photo check %s without a photo", ch.Status)
	}
}

func flip(b []byte, i int) []byte {
	c := append([]byte{}, b...)
	c[i] ^= 0x01
	return c
}

func TestVerifyIdentityRejects(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	other := loadFixture(t, "citizen-1.7")
	tests := map[string]func(d *verify.IdentityData, o *verify.IdentityOptions){
		"tampered identity": func(d *verify.IdentityData, _ *verify.IdentityOptions) { d.Identity = flip(d.Identity, 20) },
		"tampered identity sig": func(d *verify.IdentityData, _ *verify.IdentityOptions) {
			d.IdentitySignature = flip(d.IdentitySignature, 5)
		},
		"tampered address": func(d *verify.IdentityData, _ *verify.IdentityOptions) { d.Address = flip(d.Address, 4) },
		"tampered photo":   func(d *verify.IdentityData, _ *verify.IdentityOptions) { d.Photo = flip(d.Photo, len(d.Photo)/2) },
		"other card's address": func(d *verify.IdentityData, _ *verify.IdentityOptions) {
			d.Address, d.AddressSignature = other.files.Address, other.files.AddressSig
		},
		"other card's RRN cert": func(d *verify.IdentityData, _ *verify.IdentityOptions) { d.RRNCertificate = other.files.RRNCert },
		"untrusted RRN root":    func(_ *verify.IdentityData, o *verify.IdentityOptions) { o.Roots = other.roots },
		"RRN certificate expired": func(_ *verify.IdentityData, o *verify.IdentityOptions) {
			o.Now = func() time.Time { return time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC) }
		},
		"no identity":           func(d *verify.IdentityData, _ *verify.IdentityOptions) { d.Identity = nil },
		"no identity signature": func(d *verify.IdentityData, _ *verify.IdentityOptions) { d.IdentitySignature = nil },
		"no RRN certificate":    func(d *verify.IdentityData, _ *verify.IdentityOptions) { d.RRNCertificate = nil },
		"address without sig":   func(d *verify.IdentityData, _ *verify.IdentityOptions) { d.AddressSignature = nil },
		"sig without address":   func(d *verify.IdentityData, _ *verify.IdentityOptions) { d.Address = nil },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			d, o := identityData(f), f.identityOptions()
			mod(&d, &o)
			id, err := verify.VerifyIdentity(d, o)
			if !errors.Is(err, verify.ErrIdentity) {
				t.Fatalf("got %v, want ErrIdentity", err)
			}
			if id != nil && id.Identity != nil {
				t.Errorf("rejected data was decoded: %+v", id.Identity)
			}
		})
	}
	if _, err := verify.VerifyIdentity(identityData(f), verify.IdentityOptions{}); !errors.Is(err, verify.ErrConfig) {
		t.Errorf("no roots: %v, want ErrConfig", err)
	}
}

// TestIdentityNationalNumberMismatch: genuine identity data of one person
// cannot be attached to another person's authentication.
func TestIdentityNationalNumberMismatch(t *testing.T) {
	a, b := loadFixture(t, "citizen-1.7"), loadFixture(t, "citizen-1.8")
	citizen, err := a.validator(t).Validate(makeToken(t, a.card.AuthKey, a.auth.Raw, tokenSpec{alg: "RS256"}), testNonce)
	if err != nil {
		t.Fatal(err)
	}
	id, err := verify.VerifyCitizenIdentity(citizen, identityData(b), b.identityOptions())
	if !errors.Is(err, verify.ErrCitizenMismatch) || id == nil || id.Identity == nil {
		t.Errorf("got %v, want ErrCitizenMismatch with the verified identity", err)
	}
	if err := verify.SameCitizen(nil, id); !errors.Is(err, verify.ErrCitizenMismatch) {
		t.Errorf("nil citizen: %v", err)
	}
	if err := verify.SameCitizen(citizen, &verify.VerifiedIdentity{}); !errors.Is(err, verify.ErrCitizenMismatch) {
		t.Errorf("unverified identity: %v", err)
	}
}
