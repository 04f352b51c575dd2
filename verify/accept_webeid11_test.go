package verify_test

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// TestAcceptWebEID11Token: a web-eid:1.1 token carries the signing
// certificate and the algorithms its key signs, an object array; the
// validator checks what 1.0 has and passes the rest over, as Web eID's
// own validators do, whatever those fields hold.
func TestAcceptWebEID11Token(t *testing.T) {
	f := loadFixture(t, "citizen-1.8")
	signCert, err := virtualcard.CertDER(f.card.Files["3F00DF005039"])
	if err != nil || signCert == nil {
		t.Fatalf("the fixture's signing certificate: %v", err)
	}
	for name, extra := range map[string]map[string]any{
		"as the agent makes it": {
			"unverifiedSigningCertificate": base64.StdEncoding.EncodeToString(signCert),
			"supportedSignatureAlgorithms": []map[string]string{
				{"cryptoAlgorithm": "ECC", "hashFunction": "SHA-384", "paddingScheme": "NONE"}},
		},
		"odd values": {"unverifiedSigningCertificate": 7, "supportedSignatureAlgorithms": "none"},
	} {
		var tok map[string]any
		if err := json.Unmarshal(makeToken(t, f.card.AuthKey, f.auth.Raw, tokenSpec{alg: "ES384", format: "web-eid:1.1"}), &tok); err != nil {
			t.Fatal(err)
		}
		for k, v := range extra {
			tok[k] = v
		}
		raw, _ := json.Marshal(tok)
		c, err := f.validator(t).Validate(raw, testNonce)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.Algorithm != "ES384" || c.NationalNumber == (eid.NationalNumber{}) {
			t.Errorf("%s: citizen %+v", name, c)
		}
	}
}
