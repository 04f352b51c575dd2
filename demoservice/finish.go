package demoservice

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// account is what the service knows of a logged-in citizen.
type account struct {
	Sub        string // pairwise: this service's identifier for the citizen
	Name       string
	GivenName  string
	FamilyName string
	ACR        string
	AMR        []string
	AuthTime   time.Time // zero when the provider did not say
	idToken    string    // the raw ID token, the hint for the provider's logout
}

// errNotEID: the citizen asked for the eID, the provider says otherwise.
var errNotEID = errors.New("the eID was asked for, the ID token's acr is another")

// idClaims are the ID token's claims the service reads, beyond go-oidc's.
type idClaims struct {
	ACR      string   `json:"acr"`
	AMR      []string `json:"amr"`
	AuthTime int64    `json:"auth_time"`
}

type profile struct {
	Sub        string `json:"sub"`
	Name       string `json:"name"`
	GivenName  string `json:"given_name"`
	FamilyName string `json:"family_name"`
}

// finish turns the code into a checked account: the exchange with the
// PKCE verifier, the ID token (signature from the provider's keys,
// issuer, audience, expiry, and the nonce of this login), then userinfo,
// which must be about the same citizen.
func (s *Service) finish(ctx context.Context, op *discovered, p pendingLogin, code string) (account, error) {
	tok, err := op.oauth.Exchange(ctx, code, oauth2.VerifierOption(p.verifier))
	if err != nil {
		return account{}, fmt.Errorf("exchanging the code: %w", err)
	}
	idt, raw, err := verifyIDToken(ctx, op, tok, p)
	if err != nil {
		return account{}, err
	}
	var c idClaims
	if err := idt.Claims(&c); err != nil {
		return account{}, fmt.Errorf("reading the ID token's claims: %w", err)
	}
	if p.eidOnly && c.ACR != ACREID {
		return account{}, fmt.Errorf("%w (%q)", errNotEID, c.ACR)
	}
	prof, err := userinfo(ctx, op, tok, idt.Subject)
	if err != nil {
		return account{}, err
	}
	a := account{Sub: idt.Subject, Name: prof.Name, GivenName: prof.GivenName, FamilyName: prof.FamilyName,
		ACR: c.ACR, AMR: c.AMR, idToken: raw}
	if c.AuthTime > 0 {
		a.AuthTime = time.Unix(c.AuthTime, 0)
	}
	return a, nil
}

func verifyIDToken(ctx context.Context, op *discovered, tok *oauth2.Token, p pendingLogin) (*oidc.IDToken, string, error) {
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, "", errors.New("the token response holds no ID token")
	}
	idt, err := op.verifier.Verify(ctx, raw)
	if err != nil {
		return nil, "", fmt.Errorf("verifying the ID token: %w", err)
	}
	// go-oidc leaves the nonce to the caller: it ties the token to this login.
	if !equal(idt.Nonce, p.nonce) {
		return nil, "", errors.New("the ID token's nonce is not this login's")
	}
	if idt.AccessTokenHash != "" {
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			return nil, "", fmt.Errorf("the ID token's at_hash: %w", err)
		}
	}
	return idt, raw, nil
}

// userinfo reads the citizen's profile; a different sub would mean the
// answers are about two people, and the login is refused.
func userinfo(ctx context.Context, op *discovered, tok *oauth2.Token, sub string) (profile, error) {
	ui, err := op.p.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return profile{}, fmt.Errorf("calling userinfo: %w", err)
	}
	var prof profile
	if err := ui.Claims(&prof); err != nil {
		return profile{}, fmt.Errorf("reading userinfo: %w", err)
	}
	if prof.Sub == "" || !equal(prof.Sub, sub) {
		return profile{}, fmt.Errorf("userinfo is about sub %q, the ID token about %q", prof.Sub, sub)
	}
	return prof, nil
}
