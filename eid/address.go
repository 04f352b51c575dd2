package eid

// Address is the address file 4033 (beid-card.md §5.5), decoded.
type Address struct {
	StructureVersion *int `json:"structureVersion,omitempty"` // tag 00, when present

	StreetAndNumber string `json:"streetAndNumber"` // 01
	ZIP             string `json:"zip"`             // 02
	Municipality    string `json:"municipality"`    // 03

	Unknown map[byte][]byte `json:"unknown,omitempty"`
}

// addressSpecs: all three fields are mandatory on every card.
var addressSpecs = map[byte]tagSpec[Address]{
	0x01: {"street and number", true, textTag(func(a *Address) *string { return &a.StreetAndNumber })},
	0x02: {"ZIP code", true, textTag(func(a *Address) *string { return &a.ZIP })},
	0x03: {"municipality", true, textTag(func(a *Address) *string { return &a.Municipality })},
}

// ParseAddress decodes the address file 4033. The file has a fixed size
// and is zero-padded; the padding is ignored. Unknown tags are kept.
func ParseAddress(b []byte) (*Address, error) {
	a := &Address{}
	res, err := decodeTLVFile("address", b, addressSpecs, a)
	if err != nil {
		return nil, err
	}
	a.StructureVersion, a.Unknown = res.version, res.unknown
	return a, nil
}
