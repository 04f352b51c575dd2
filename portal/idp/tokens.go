package idp

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// grant is what an access token stands for: the claims the service may
// read at userinfo, kept sealed until the token expires.
type grant struct {
	ClientID string    `json:"client"`
	Subject  string    `json:"sub"`
	Scopes   []string  `json:"scopes"`
	Method   string    `json:"method"`
	AuthTime time.Time `json:"authTime"`
	Person   Person    `json:"person"`
	ShareNN  bool      `json:"shareNN,omitempty"`
}

func grantOf(a *authRequest) grant {
	return grant{ClientID: a.ClientID, Subject: a.Subject, Scopes: a.Scopes, Method: a.Method,
		AuthTime: a.AuthTime, Person: *a.Person, ShareNN: a.ShareNN}
}

// fill puts in userinfo what the scopes give, and nothing else.
func (g grant) fill(u *oidc.UserInfo, scopes []string) {
	u.Subject = g.Subject
	if slices.Contains(scopes, ScopeProfile) {
		u.Name = g.Person.GivenNames + " " + g.Person.Surname
		u.GivenName, u.FamilyName = g.Person.GivenNames, g.Person.Surname
	}
	if g.ShareNN && slices.Contains(scopes, ScopeNationalNumber) {
		u.AppendClaims(ClaimNationalNumber, g.Person.NationalNumber)
	}
}

func tokenAD(id string) string { return "oidc_tokens " + id }

// CreateAccessToken keeps the grant of a completed login under a new
// token id; the library hands the service that id encrypted.
func (s *storage) CreateAccessToken(ctx context.Context, req op.TokenRequest) (string, time.Time, error) {
	a, ok := req.(*authRequest)
	if !ok || a.Person == nil {
		return "", time.Time{}, oidc.ErrUnsupportedGrantType()
	}
	id, exp := randomID(), s.p.now().Add(s.p.cfg.AccessTokenLifetime)
	if err := s.p.spend(ctx, a, id, exp); err != nil {
		return "", time.Time{}, err
	}
	data, _ := json.Marshal(grantOf(a))
	_, err := s.p.db.ExecContext(ctx, `INSERT INTO oidc_tokens (id, client_id, state, expires_at) VALUES (?, ?, ?, ?)`,
		id, a.ClientID, s.p.sec.seal(tokenAD(id), data), exp.UnixMilli())
	if err != nil {
		return "", time.Time{}, fmt.Errorf("keep the access token: %w", err)
	}
	// The library counts expires_in from the real time, whatever clock
	// the portal runs on (tests run on the card's).
	return id, time.Now().Add(s.p.cfg.AccessTokenLifetime), nil
}

// token reads a live grant; a removed service's tokens are gone with it.
func (p *Provider) token(ctx context.Context, id string) (*grant, error) {
	var sealed []byte
	err := p.db.QueryRowContext(ctx, `SELECT state FROM oidc_tokens WHERE id = ? AND expires_at > ?`,
		id, p.now().UnixMilli()).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, oidc.ErrInvalidRequest().WithDescription("the access token is unknown, expired or revoked")
	}
	if err != nil {
		return nil, fmt.Errorf("read the access token: %w", err)
	}
	data, err := p.sec.open(tokenAD(id), sealed)
	if err != nil {
		return nil, err
	}
	g := new(grant)
	if err := json.Unmarshal(data, g); err != nil {
		return nil, fmt.Errorf("read the access token: %w", err)
	}
	return g, nil
}

func (s *storage) SetUserinfoFromToken(ctx context.Context, u *oidc.UserInfo, tokenID, subject, _ string) error {
	g, err := s.p.token(ctx, tokenID)
	if err != nil {
		return err
	}
	if g.Subject != subject {
		return oidc.ErrInvalidRequest().WithDescription("the access token does not match its subject")
	}
	g.fill(u, g.Scopes)
	return nil
}

// SetUserinfoFromRequest gives the ID token its claims.
func (s *storage) SetUserinfoFromRequest(_ context.Context, u *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	a, ok := req.(*authRequest)
	if !ok || a.Person == nil {
		return errors.New("an ID token for a login that did not happen")
	}
	grantOf(a).fill(u, scopes)
	return nil
}

// SetUserinfoFromScopes is the library's older hook; SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

func (s *storage) SetIntrospectionFromToken(ctx context.Context, r *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	g, err := s.p.token(ctx, tokenID)
	if err != nil || g.Subject != subject || g.ClientID != clientID {
		return errors.New("token not active for this service") // the library answers active: false
	}
	u := new(oidc.UserInfo)
	g.fill(u, g.Scopes)
	r.SetUserInfo(u)
	r.Active, r.Scope, r.ClientID, r.Subject = true, g.Scopes, g.ClientID, g.Subject
	r.AuthTime = oidc.FromTime(g.AuthTime)
	r.AuthenticationMethodsReferences = amrOf(g.Method)
	return nil
}

func (s *storage) RevokeToken(ctx context.Context, tokenID, _, clientID string) *oidc.Error {
	if _, err := s.p.db.ExecContext(ctx, `DELETE FROM oidc_tokens WHERE id = ? AND client_id = ?`, tokenID, clientID); err != nil {
		return oidc.ErrServerError().WithParent(err)
	}
	return nil
}
