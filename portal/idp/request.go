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

// Person is who logged in, as the portal established it.
type Person struct {
	NationalNumber string `json:"nn"`
	GivenNames     string `json:"given"`
	Surname        string `json:"surname"`
}

// The methods, and what the tokens say of them: acr names the method and
// its level (eIDAS: the token is substantial, the eID high); amr lists
// the RFC 8176 methods behind it.
const (
	MethodToken = "token"
	MethodEID   = "eid"
	ACRToken    = "urn:eidbridge:acr:token:substantial"
	ACREID      = "urn:eidbridge:acr:eid:high"
)

func acrOf(method string) string {
	if method == MethodEID {
		return ACREID
	}
	return ACRToken
}

func amrOf(method string) []string {
	if method == MethodEID {
		return []string{"sc", "pin", "mfa"} // smart card, its PIN
	}
	return []string{"pwd", "otp", "mfa"} // password, a code of the token
}

// authRequest is one login a service asked for, kept sealed in
// oidc_requests from the authorize call until its code is exchanged.
type authRequest struct {
	ID           string    `json:"id"`
	ClientID     string    `json:"client"`
	RedirectURI  string    `json:"redirect"`
	State        string    `json:"state,omitempty"`
	Nonce        string    `json:"nonce,omitempty"`
	Scopes       []string  `json:"scopes"`
	ResponseMode string    `json:"mode,omitempty"`
	Challenge    string    `json:"challenge"`
	ACRValues    []string  `json:"acr,omitempty"`
	Prompt       []string  `json:"prompt,omitempty"`
	UILocales    []string  `json:"locales,omitempty"`
	Expires      time.Time `json:"expires"`

	// Set when the citizen has logged in.
	Subject  string    `json:"sub,omitempty"`
	Method   string    `json:"method,omitempty"`
	AuthTime time.Time `json:"authTime"`
	Person   *Person   `json:"person,omitempty"`
	ShareNN  bool      `json:"shareNN,omitempty"`
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string                      { return a.ID }
func (a *authRequest) GetACR() string                     { return acrOf(a.Method) }
func (a *authRequest) GetAMR() []string                   { return amrOf(a.Method) }
func (a *authRequest) GetAudience() []string              { return []string{a.ClientID} }
func (a *authRequest) GetAuthTime() time.Time             { return a.AuthTime }
func (a *authRequest) GetClientID() string                { return a.ClientID }
func (a *authRequest) GetNonce() string                   { return a.Nonce }
func (a *authRequest) GetRedirectURI() string             { return a.RedirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType { return oidc.ResponseTypeCode }
func (a *authRequest) GetResponseMode() oidc.ResponseMode { return oidc.ResponseMode(a.ResponseMode) }
func (a *authRequest) GetScopes() []string                { return a.Scopes }
func (a *authRequest) GetState() string                   { return a.State }
func (a *authRequest) GetSubject() string                 { return a.Subject }
func (a *authRequest) Done() bool                         { return a.Person != nil }

func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge {
	return &oidc.CodeChallenge{Challenge: a.Challenge, Method: oidc.CodeChallengeMethodS256}
}

// CreateAuthRequest keeps a request the library has checked (client,
// redirect URI, response type). PKCE with S256 is required of every
// service: a code caught on its way back is then worth nothing.
func (s *storage) CreateAuthRequest(ctx context.Context, r *oidc.AuthRequest, _ string) (op.AuthRequest, error) {
	if r.CodeChallenge == "" || r.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("PKCE is required: send code_challenge with code_challenge_method=S256")
	}
	c, err := s.p.client(ctx, r.ClientID)
	if err != nil {
		return nil, oidc.ErrInvalidClient().WithParent(err)
	}
	a := &authRequest{ID: randomID(), ClientID: r.ClientID, RedirectURI: r.RedirectURI, State: r.State,
		Nonce: r.Nonce, Scopes: c.allowed(r.Scopes), ResponseMode: string(r.ResponseMode),
		Challenge: r.CodeChallenge, ACRValues: r.ACRValues, Prompt: r.Prompt,
		Expires: s.p.now().Add(s.p.cfg.RequestLifetime)}
	for _, t := range r.UILocales {
		a.UILocales = append(a.UILocales, t.String())
	}
	if err := s.p.insertRequest(ctx, a); err != nil {
		return nil, err
	}
	return a, nil
}

func (p *Provider) insertRequest(ctx context.Context, a *authRequest) error {
	data, _ := json.Marshal(a)
	_, err := p.db.ExecContext(ctx, `INSERT INTO oidc_requests (id, state, expires_at) VALUES (?, ?, ?)`,
		a.ID, p.sec.seal(requestAD(a.ID), data), a.Expires.UnixMilli())
	if err != nil {
		return fmt.Errorf("keep the login request: %w", err)
	}
	return nil
}

func requestAD(id string) string { return "oidc_requests " + id }

// ErrRequestGone: the login request is unknown, expired or used.
var ErrRequestGone = errors.New("this login request is unknown, expired or already used")

// request reads a live request by id.
func (p *Provider) request(ctx context.Context, id string) (*authRequest, error) {
	var sealed []byte
	err := p.db.QueryRowContext(ctx, `SELECT state FROM oidc_requests WHERE id = ? AND expires_at > ? AND code_hash IS NULL`,
		id, p.now().UnixMilli()).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrRequestGone
	}
	if err != nil {
		return nil, fmt.Errorf("read the login request: %w", err)
	}
	return p.openRequest(id, sealed)
}

func (p *Provider) openRequest(id string, sealed []byte) (*authRequest, error) {
	data, err := p.sec.open(requestAD(id), sealed)
	if err != nil {
		return nil, err
	}
	a := new(authRequest)
	if err := json.Unmarshal(data, a); err != nil {
		return nil, fmt.Errorf("read the login request: %w", err)
	}
	return a, nil
}

func (s *storage) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	a, err := s.p.request(ctx, id)
	if errors.Is(err, ErrRequestGone) {
		return nil, oidc.ErrInvalidRequest().WithDescription("%s", err)
	}
	if err != nil {
		return nil, err
	}
	return a, nil
}

// SaveAuthCode gives a completed request its code, once: a second
// callback for the same request finds no request without a code.
func (s *storage) SaveAuthCode(ctx context.Context, id, code string) error {
	now := s.p.now()
	res, err := s.p.db.ExecContext(ctx, `UPDATE oidc_requests SET code_hash = ?, code_expires_at = ?
		WHERE id = ? AND code_hash IS NULL AND expires_at > ?`,
		hashOf(code), now.Add(s.p.cfg.CodeLifetime).UnixMilli(), id, now.UnixMilli())
	if err != nil {
		return fmt.Errorf("keep the code: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return oidc.ErrInvalidRequest().WithDescription("%s", ErrRequestGone)
	}
	return nil
}

// AuthRequestByCode reads the request of a code (the library reads it
// more than once per exchange; CreateAccessToken spends it). A code
// presented after it was spent is a replay: the access token it gave is
// revoked (RFC 6749 §4.1.2), as whoever replays it may hold that token.
func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	var id string
	var sealed []byte
	var expires int64
	var token sql.NullString
	err := s.p.db.QueryRowContext(ctx, `SELECT id, state, code_expires_at, token_id FROM oidc_requests WHERE code_hash = ?`,
		hashOf(code)).Scan(&id, &sealed, &expires, &token)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errors.New("the code is unknown")
	}
	if err != nil {
		return nil, fmt.Errorf("read the code: %w", err)
	}
	if token.Valid {
		if _, err := s.p.db.ExecContext(ctx, `DELETE FROM oidc_tokens WHERE id = ?`, token.String); err != nil {
			return nil, fmt.Errorf("revoke after a replayed code: %w", err)
		}
		return nil, errors.New("the code was used before: its access token is revoked")
	}
	if s.p.now().UnixMilli() >= expires {
		return nil, errors.New("the code has expired")
	}
	return s.p.openRequest(id, sealed)
}

// spend marks the code of request a used by token: of two exchanges of
// one code, on any instances, one gets here first; the other fails.
func (p *Provider) spend(ctx context.Context, a *authRequest, token string, until time.Time) error {
	res, err := p.db.ExecContext(ctx, `UPDATE oidc_requests SET token_id = ?, expires_at = ?
		WHERE id = ? AND code_hash IS NOT NULL AND token_id IS NULL`, token, until.UnixMilli(), a.ID)
	if err != nil {
		return fmt.Errorf("spend the code: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return oidc.ErrInvalidGrant().WithDescription("the code was used before")
	}
	return nil
}

// DeleteAuthRequest: the library's clean-up after an exchange. A spent
// code's row stays until its token expires, to recognise a replay.
func (s *storage) DeleteAuthRequest(ctx context.Context, id string) error {
	_, err := s.p.db.ExecContext(ctx, `DELETE FROM oidc_requests WHERE id = ? AND token_id IS NULL`, id)
	return err
}

// Login is what the portal established at its login page.
type Login struct {
	Person  Person
	Method  string // MethodToken or MethodEID
	At      time.Time
	ShareNN bool // the citizen agreed to give the national register number
}

// Complete records who logged in for request id; the browser then goes
// to CallbackURL(id), where the library gives the service its code.
func (p *Provider) Complete(ctx context.Context, id string, l Login) error {
	a, err := p.request(ctx, id)
	if err != nil {
		return err
	}
	if l.Method != MethodToken && l.Method != MethodEID {
		return fmt.Errorf("complete a login: unknown method %q", l.Method)
	}
	if !slices.Contains(p.acceptable(a), l.Method) {
		return fmt.Errorf("complete a login: the service did not accept the %s method", l.Method)
	}
	person := l.Person
	a.Person, a.Method, a.AuthTime = &person, l.Method, l.At
	a.Subject = p.sec.pairwise(a.ClientID, person.NationalNumber)
	a.ShareNN = l.ShareNN && slices.Contains(a.Scopes, ScopeNationalNumber)
	data, _ := json.Marshal(a)
	res, err := p.db.ExecContext(ctx, `UPDATE oidc_requests SET state = ? WHERE id = ? AND code_hash IS NULL`,
		p.sec.seal(requestAD(id), data), id)
	if err != nil {
		return fmt.Errorf("complete a login: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrRequestGone
	}
	return nil
}

// acceptable: the methods the request allows. A service asking for the
// eID's level (acr_values) gets no token login.
func (p *Provider) acceptable(a *authRequest) []string {
	if len(a.ACRValues) > 0 && !slices.Contains(a.ACRValues, ACRToken) {
		return []string{MethodEID}
	}
	return []string{MethodToken, MethodEID}
}
