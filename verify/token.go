package verify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Token limits and format of Web eID 1.x.
const (
	MinTokenLength = 100
	MaxTokenLength = 10000
	// FormatPrefix is what every accepted format starts with: 1.x tokens
	// only add fields to 1.0.
	FormatPrefix = "web-eid:1"
	// Format is what the eidbridge agent produces.
	Format = "web-eid:1.0"
)

// AuthToken is a Web eID authentication token. Field names are those of
// the web-eid:1.0 format.
type AuthToken struct {
	// UnverifiedCertificate is the standard base64 of the DER
	// authentication certificate; "unverified" until a Validator says so.
	UnverifiedCertificate string `json:"unverifiedCertificate"`
	Algorithm             string `json:"algorithm"` // JWA name, e.g. RS256, ES384
	Signature             string `json:"signature"` // standard base64
	Format                string `json:"format"`
	AppVersion            string `json:"appVersion"` // URL naming the producing application
}

// tokenFields maps the exact JSON names to the fields; encoding/json alone
// would also accept other letter cases.
func (t *AuthToken) fields() map[string]*string {
	return map[string]*string{
		"unverifiedCertificate": &t.UnverifiedCertificate,
		"algorithm":             &t.Algorithm,
		"signature":             &t.Signature,
		"format":                &t.Format,
		"appVersion":            &t.AppVersion,
	}
}

// ParseToken decodes a token as the browser sent it: 100 to 10000 bytes
// of one JSON object with the exact field names, each at most once, as
// strings. Unknown fields are ignored (later 1.x formats add some).
// Errors wrap ErrTokenFormat.
func ParseToken(b []byte) (*AuthToken, error) {
	if len(b) < MinTokenLength || len(b) > MaxTokenLength {
		return nil, detail(ErrTokenFormat, "%d bytes, want %d to %d", len(b), MinTokenLength, MaxTokenLength)
	}
	t := &AuthToken{}
	if err := decodeObject(b, t.fields()); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTokenFormat, err)
	}
	return t, nil
}

func decodeObject(b []byte, known map[string]*string) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("not a JSON object (%v)", errOr(err, "starts with something else"))
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("bad JSON: %v", err)
		}
		key, _ := tok.(string)
		if seen[key] {
			return fmt.Errorf("field %q appears twice", key)
		}
		seen[key] = true
		if err := decodeValue(dec, key, known[key]); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("bad JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON object")
	}
	return missingFields(known, seen)
}

func decodeValue(dec *json.Decoder, key string, dst *string) error {
	if dst == nil {
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("bad JSON in field %q: %v", key, err)
		}
		return nil
	}
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return fmt.Errorf("bad JSON in field %q: %v", key, err)
	}
	if err := json.Unmarshal(raw, dst); err != nil || !bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) {
		return fmt.Errorf("field %q is not a string", key)
	}
	return nil
}

// missingFields requires every field but appVersion, which only informs.
func missingFields(known map[string]*string, seen map[string]bool) error {
	var missing []string
	for _, k := range []string{"unverifiedCertificate", "algorithm", "signature", "format"} {
		if _, want := known[k]; want && !seen[k] {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing field(s) %s", strings.Join(missing, ", "))
	}
	return nil
}

func errOr(err error, s string) string {
	if err != nil {
		return err.Error()
	}
	return s
}

// checkForm checks what needs no cryptography: the format and that every
// required field is set.
func checkForm(t *AuthToken) error {
	if t == nil {
		return detail(ErrTokenFormat, "no token")
	}
	// "web-eid:1" then nothing or ".minor": a bare prefix test would also
	// let a future "web-eid:10" through.
	if rest, ok := strings.CutPrefix(t.Format, FormatPrefix); !ok || (rest != "" && !strings.HasPrefix(rest, ".")) {
		return detail(ErrTokenFormat, "format %q is not %s or %s.x", t.Format, FormatPrefix, FormatPrefix)
	}
	for name, v := range map[string]string{"unverifiedCertificate": t.UnverifiedCertificate,
		"algorithm": t.Algorithm, "signature": t.Signature} {
		if v == "" {
			return detail(ErrTokenFormat, "field %q is empty", name)
		}
	}
	return nil
}
