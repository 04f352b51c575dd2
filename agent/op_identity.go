package agent

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/eid"
)

// IdentityResult answers readIdentity: the parsed data asked for and the
// raw files, with the National Register's signatures and certificate, so
// the website can check them itself (eid.Verify, verify package).
type IdentityResult struct {
	CardType string        `json:"cardType"`
	Identity *eid.Identity `json:"identity,omitempty"`
	Address  *eid.Address  `json:"address,omitempty"`
	Files    IdentityFiles `json:"files"`
}

// IdentityFiles are raw card files, base64 in JSON, exactly as the card
// stores them (padding included, since the signatures cover it).
type IdentityFiles struct {
	Identity          []byte `json:"identity,omitempty"`          // 4031
	IdentitySignature []byte `json:"identitySignature,omitempty"` // 4032
	Address           []byte `json:"address,omitempty"`           // 4033
	AddressSignature  []byte `json:"addressSignature,omitempty"`  // 4034
	Photo             []byte `json:"photo,omitempty"`             // 4035, JPEG
	RRNCertificate    []byte `json:"rrnCertificate"`              // 503C, DER
}

// parseReadIdentity wants a non-empty include list of identity, address
// and photo. The photo comes only with the identity, whose photo hash is
// what vouches for it.
func parseReadIdentity(raw json.RawMessage) (any, *Error) {
	var p ReadIdentityParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if len(p.Include) == 0 {
		return nil, invalid(`include must list what to read: "identity", "address" and/or "photo"`)
	}
	for _, s := range p.Include {
		switch s {
		case IncludeIdentity, IncludeAddress, IncludePhoto:
		default:
			return nil, invalid("include: unknown item %q (want identity, address or photo)", shorten(s))
		}
	}
	if slices.Contains(p.Include, IncludePhoto) && !slices.Contains(p.Include, IncludeIdentity) {
		return nil, invalid(`include: "photo" needs "identity", whose photo hash proves the photo`)
	}
	return p, nil
}

// readIdentity reads the holder's name to show in the dialog and, once
// the citizen agrees, the files asked for. Nothing leaves before consent.
func (cl *call) readIdentity(params any) (any, error) {
	p := params.(ReadIdentityParams)
	card, err := cl.open()
	if err != nil {
		return nil, err
	}
	idFile, err := card.ReadFile(eid.FileIdentity)
	if err != nil {
		return nil, err
	}
	id, err := eid.ParseIdentity(idFile)
	if err != nil {
		return nil, errors.New("the identity file does not parse") // the detail may quote card data
	}
	st, err := card.PINStatus() // tries left for the dialog; a blocked PIN does not matter here
	if err != nil {
		return nil, err
	}
	d := cl.dialog(ui.PurposeReadIdentity, holderFromIdentity(id))
	d.base.Items = consentItems(p.Include)
	if err := d.consent(st.TriesLeft); err != nil {
		return nil, err
	}
	return readIdentityFiles(card, p.Include, idFile, id)
}

// consentItems is what the dialog says will be read: each item asked
// for, once, in a fixed order, whatever order the page used.
func consentItems(include []string) []string {
	var items []string
	for _, it := range []string{IncludeIdentity, IncludeAddress, IncludePhoto} {
		if slices.Contains(include, it) {
			items = append(items, it)
		}
	}
	return items
}

// readIdentityFiles reads, in one transaction, what include needs.
func readIdentityFiles(card *eid.Card, include []string, idFile []byte, id *eid.Identity) (any, error) {
	want := func(s string) bool { return slices.Contains(include, s) }
	ids := []eid.FileID{eid.FileRRNCert}
	if want(IncludeIdentity) || want(IncludeAddress) {
		ids = append(ids, eid.FileIdentitySig) // the address signature also covers it
	}
	if want(IncludeAddress) {
		ids = append(ids, eid.FileAddress, eid.FileAddressSig)
	}
	if want(IncludePhoto) {
		ids = append(ids, eid.FilePhoto)
	}
	f, err := card.Read(ids...)
	if err != nil {
		return nil, err
	}
	res := IdentityResult{CardType: appletType(card), Files: IdentityFiles{
		IdentitySignature: f.IdentitySig, Photo: f.Photo, RRNCertificate: f.RRNCert}}
	if want(IncludeIdentity) {
		res.Identity, res.Files.Identity = id, idFile
	}
	if want(IncludeAddress) {
		if res.Address, err = eid.ParseAddress(f.Address); err != nil {
			return nil, errors.New("the address file does not parse")
		}
		res.Files.Address, res.Files.AddressSignature = f.Address, f.AddressSig
	}
	return res, nil
}

// appletType names an opened card as status does.
func appletType(card *eid.Card) string {
	switch card.Data.AppletVersion {
	case eid.Applet17:
		return CardBeID17
	case eid.Applet18:
		return CardBeID18
	}
	return CardUnknown
}
