package nmhost

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"math/big"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/verify"
)

// Each command, as the official extension sends it, goes through the
// agent's dialogs to the card and comes back in Web eID's shape: a token
// a website validates with package verify, the signing certificate with
// its algorithms, and a signature of the hash by that certificate's key.
func TestWebEIDCommandsThroughTheAgent(t *testing.T) {
	for _, tc := range []struct {
		fixture, alg, crypt, pad, hashName string
		hash                               crypto.Hash
	}{
		{"citizen-1.7", "RS256", "RSA", "PKCS1.5", "SHA-256", crypto.SHA256},
		{"citizen-1.8", "ES384", "ECC", "NONE", "SHA-384", crypto.SHA384},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			u := agrees()
			h, _ := webEIDAgent(t, tc.fixture, u)
			tok := webEIDRun(t, h, command("authenticate", map[string]any{"challengeNonce": webEIDNonce, "origin": nmOrigin, "lang": "nl-BE"}))
			checkWebEIDToken(t, tok, tc.fixture, tc.alg)

			certB64 := base64.StdEncoding.EncodeToString(fixtureCert(t, tc.fixture, "3F00DF005039"))
			sc := webEIDRun(t, h, command("get-signing-certificate", map[string]any{"origin": nmOrigin}))
			want := map[string]any{"cryptoAlgorithm": tc.crypt, "hashFunction": tc.hashName, "paddingScheme": tc.pad}
			algs, _ := sc["supportedSignatureAlgorithms"].([]any)
			if len(sc) != 2 || sc["certificate"] != certB64 || !containsValue(algs, want) {
				t.Errorf("get-signing-certificate: %v, want the card's certificate and %v among the algorithms", sc, want)
			}

			w := tc.hash.New()
			w.Write([]byte("the document"))
			digest := w.Sum(nil)
			sig := webEIDRun(t, h, command("sign", map[string]any{"hash": base64.StdEncoding.EncodeToString(digest),
				"hashFunction": tc.hashName, "certificate": certB64, "origin": nmOrigin, "lang": "fr"}))
			if len(sig) != 2 || !reflect.DeepEqual(sig["signatureAlgorithm"], want) {
				t.Errorf("sign: %v, want a signature and %v", sig, want)
			}
			checkSignature(t, tc.fixture, tc.hash, digest, sig["signature"])

			qs := u.questions()
			kinds := []ui.Kind{ui.KindPIN, ui.KindConsent, ui.KindPIN}
			if len(qs) != 3 || qs[0].Kind != kinds[0] || qs[1].Kind != kinds[1] || qs[2].Kind != kinds[2] {
				t.Fatalf("questions %+v, want the PIN, the consent to the certificate, the PIN", qs)
			}
			for i, lang := range []string{"nl", "", "fr"} {
				if qs[i].Origin != nmOrigin || lang != "" && qs[i].Lang != lang {
					t.Errorf("question %d names %s in %s, want %s in %q", i, qs[i].Origin, qs[i].Lang, nmOrigin, lang)
				}
			}
		})
	}
}

// checkWebEIDToken checks the five fields, and the token as a website
// does with package verify.
func checkWebEIDToken(t *testing.T, m map[string]any, fixture, alg string) {
	t.Helper()
	if len(m) != 5 || m["format"] != "web-eid:1.0" || m["algorithm"] != alg ||
		m["appVersion"] != agent.AppVersionURL("1.2.3") {
		t.Fatalf("authenticate: %v, want the five fields of a web-eid:1.0 %s token", m, alg)
	}
	roots, inter := fixturePKI(t, fixture)
	v, err := verify.NewValidator(verify.Config{Origin: nmOrigin, Roots: roots, Intermediates: inter})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(m)
	if _, err := v.Validate(raw, webEIDNonce); err != nil {
		t.Errorf("verify refuses the token: %v", err)
	}
	other, _ := verify.NewValidator(verify.Config{Origin: "https://www.belgium.be", Roots: roots, Intermediates: inter})
	if _, err := other.Validate(raw, webEIDNonce); err == nil {
		t.Error("the token is also valid for another site")
	}
}

// checkSignature verifies sig (base64) of digest with the fixture's
// signing key: PKCS#1 v1.5 for RSA, raw r‖s for ECDSA.
func checkSignature(t *testing.T, fixture string, h crypto.Hash, digest []byte, sig any) {
	t.Helper()
	s, _ := sig.(string)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) == 0 {
		t.Fatalf("signature %v: %v", sig, err)
	}
	cert, err := x509.ParseCertificate(fixtureCert(t, fixture, "3F00DF005039"))
	if err != nil {
		t.Fatal(err)
	}
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		err = rsa.VerifyPKCS1v15(k, h, digest, b)
	case *ecdsa.PublicKey:
		n := len(b) / 2
		if !ecdsa.Verify(k, digest, new(big.Int).SetBytes(b[:n]), new(big.Int).SetBytes(b[n:])) {
			err = errWrongSignature
		}
	}
	if err != nil {
		t.Errorf("the signature does not verify with the signing certificate: %v", err)
	}
}

var errWrongSignature = errors.New("the ECDSA signature does not verify")

func containsValue(list []any, want any) bool {
	for _, x := range list {
		if reflect.DeepEqual(x, want) {
			return true
		}
	}
	return false
}

// Every argument is checked before the agent is reached (this host has
// no agent: it would say ERR_WEBEID_NATIVE_FATAL): the exact set of each
// command, strings, the nonce's and the origin's rules, what the agent
// checks in a sign.
func TestWebEIDInvalidArguments(t *testing.T) {
	h := host{ports: []int{deadPort(t)}, keyPath: filepath.Join(t.TempDir(), "k"), version: "1.2.3",
		log: slog.New(slog.DiscardHandler)}
	auth := func(change map[string]any) string {
		args := map[string]any{"challengeNonce": webEIDNonce, "origin": nmOrigin}
		for k, v := range change {
			if v == nil {
				delete(args, k)
			} else {
				args[k] = v
			}
		}
		return command("authenticate", args)
	}
	cert := base64.StdEncoding.EncodeToString([]byte("a certificate"))
	h32 := base64.StdEncoding.EncodeToString(make([]byte, 32))
	sign := func(change map[string]any) string {
		args := map[string]any{"hash": h32, "hashFunction": "SHA-256", "certificate": cert, "origin": nmOrigin}
		for k, v := range change {
			if v == nil {
				delete(args, k)
			} else {
				args[k] = v
			}
		}
		return command("sign", args)
	}
	for name, msg := range map[string]string{
		"not JSON":                  `{"command":`,
		"an array":                  `["authenticate"]`,
		"too short":                 `{}`,
		"no arguments":              `{"command":"quit"}`,
		"arguments an array":        `{"command":"quit","arguments":[]}`,
		"command a number":          `{"command":1,"arguments":{}}`,
		"another member":            `{"command":"quit","arguments":{},"id":"1"}`,
		"trailing data":             command("quit", map[string]any{}) + `{}`,
		"unknown command":           command("status", map[string]any{}),
		"quit with an argument":     command("quit", map[string]any{"lang": "nl"}),
		"nonce missing":             auth(map[string]any{"challengeNonce": nil}),
		"origin missing":            auth(map[string]any{"origin": nil}),
		"extra argument":            auth(map[string]any{"userInteractionTimeout": "1"}),
		"nonce for the certificate": command("get-signing-certificate", map[string]any{"origin": nmOrigin, "challengeNonce": webEIDNonce}),
		"nonce of 43":               auth(map[string]any{"challengeNonce": webEIDNonce[:43]}),
		"nonce of 129":              auth(map[string]any{"challengeNonce": strings.Repeat("A", 129)}),
		"nonce not ASCII":           auth(map[string]any{"challengeNonce": strings.Repeat("é", 44)}),
		"nonce a number":            auth(map[string]any{"challengeNonce": 12345}),
		"origin empty":              auth(map[string]any{"origin": ""}),
		"origin http":               auth(map[string]any{"origin": "http://mijn.belgium.be"}),
		"origin with a path":        auth(map[string]any{"origin": nmOrigin + "/"}),
		"origin in capitals":        auth(map[string]any{"origin": "https://MIJN.belgium.be"}),
		"origin with :443":          auth(map[string]any{"origin": nmOrigin + ":443"}),
		"origin over 255":           auth(map[string]any{"origin": "https://" + strings.Repeat(strings.Repeat("a", 63)+".", 4) + "be"}),
		"origin wss":                auth(map[string]any{"origin": "wss://mijn.belgium.be"}),
		"lang a number":             auth(map[string]any{"lang": 5}),
		"origin twice":              `{"command":"get-signing-certificate","arguments":{"origin":"https://a.be","origin":"` + nmOrigin + `"}}`,
		"sign: MD5":                 sign(map[string]any{"hashFunction": "MD5"}),
		"sign: SHA3-256":            sign(map[string]any{"hashFunction": "SHA3-256"}),
		"sign: hash length":         sign(map[string]any{"hashFunction": "SHA-384"}),
		"sign: hash not base64":     sign(map[string]any{"hash": "%%%"}),
		"sign: empty hash":          sign(map[string]any{"hash": ""}),
		"sign: certificate":         sign(map[string]any{"certificate": "not base64!"}),
		"sign: no certificate":      sign(map[string]any{"certificate": nil}),
		"sign: description":         sign(map[string]any{"description": "a document"}),
	} {
		m := webEIDRun(t, h, msg)
		if code, text := errorOf(m); code != "ERR_WEBEID_NATIVE_INVALID_ARGUMENT" || text == "" || len(m) != 1 {
			t.Errorf("%s: %v, want only ERR_WEBEID_NATIVE_INVALID_ARGUMENT with a message", name, m)
		}
	}
}

// The citizen's refusal and silence keep their Web eID codes, as does a
// certificate that is not the card's; a card problem is fatal; each is
// said in the page's language.
func TestWebEIDCitizenAndCardErrors(t *testing.T) {
	auth := command("authenticate", map[string]any{"challengeNonce": webEIDNonce, "origin": nmOrigin, "lang": "de-BE"})
	otherCert := base64.StdEncoding.EncodeToString(fixtureCert(t, "citizen-1.7", "3F00DF005039"))
	sign := command("sign", map[string]any{"hash": base64.StdEncoding.EncodeToString(make([]byte, 48)), "hashFunction": "SHA-384",
		"certificate": otherCert, "origin": nmOrigin, "lang": "de"})
	refuses := &citizen{answer: func(context.Context, ui.Question) ([]byte, error) { return nil, ui.ErrCancelled }}
	silent := &citizen{answer: func(ctx context.Context, _ ui.Question) ([]byte, error) { <-ctx.Done(); return nil, ctx.Err() }}
	short := func(o *agent.Options) { o.UserTimeout = 300 * time.Millisecond }
	de := func(key string) string { s, _ := text("de", key); return s }
	for _, tc := range []struct {
		name, fixture string
		u             *citizen
		cmd           string
		code, message string
	}{
		{"cancelled", "citizen-1.8", refuses, auth, "ERR_WEBEID_USER_CANCELLED", "Der Vorgang wurde abgebrochen."},
		{"no answer", "citizen-1.8", silent, auth, "ERR_WEBEID_USER_TIMEOUT", de("USER_TIMEOUT")},
		{"no card", "", agrees(), auth, "ERR_WEBEID_NATIVE_FATAL", de("NO_CARD")},
		{"another card's certificate", "citizen-1.8", agrees(), sign, "ERR_WEBEID_NATIVE_INVALID_ARGUMENT", de("CERTIFICATE_MISMATCH")},
	} {
		h, _ := webEIDAgent(t, tc.fixture, tc.u, short)
		code, msg := errorOf(webEIDRun(t, h, tc.cmd))
		if code != tc.code || msg != tc.message || msg == "" {
			t.Errorf("%s: %s %q, want %s %q", tc.name, code, msg, tc.code, tc.message)
		}
	}
}

// When the extension gives up (its own time-out, the tab closed), it
// closes the pipe: the agent's dialog closes with it.
func TestWebEIDExtensionGivesUp(t *testing.T) {
	asked, ended := make(chan struct{}), make(chan struct{})
	u := &citizen{answer: func(ctx context.Context, _ ui.Question) ([]byte, error) {
		close(asked)
		<-ctx.Done()
		close(ended)
		return nil, ctx.Err()
	}}
	h, _ := webEIDAgent(t, "citizen-1.8", u)
	b := startPipe(t, h.serveWebEID)
	checkVersion(t, b)
	b.send(command("authenticate", map[string]any{"challengeNonce": webEIDNonce, "origin": nmOrigin}))
	<-asked
	b.in.Close()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the dialog stayed open after the extension went away")
	}
	if code, _ := errorOf(b.recv()); code != "ERR_WEBEID_USER_CANCELLED" {
		t.Errorf("answer %q, want ERR_WEBEID_USER_CANCELLED", code)
	}
	if err := b.result(); err != nil {
		t.Errorf("serve: %v", err)
	}
}
