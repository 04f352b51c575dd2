package demoservice

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"
)

// fakeOP is the least of an OpenID provider the service needs: discovery,
// keys (go-oidc's oidctest), an authorization endpoint that logs in at
// once, the token endpoint with PKCE and client_secret_basic checks,
// userinfo and end_session. Its fields change what it answers.
type fakeOP struct {
	t      *testing.T
	srv    *httptest.Server
	keys   *oidctest.Server
	priv   *ecdsa.PrivateKey
	client string
	secret string

	mu       sync.Mutex
	down     bool              // discovery answers 503
	acr      string            // the ID token's acr
	nonce    string            // "": the login's own nonce
	infoSub  string            // "": the ID token's sub
	auths    []url.Values      // the authorization requests seen
	codes    map[string]string // code -> "challenge nonce"
	tokenErr string            // the token endpoint's last refusal
}

const fakeSub = "pairwise-7f3a"

func newFakeOP(t *testing.T) *fakeOP {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	op := &fakeOP{t: t, priv: priv, client: "demo-service", secret: "s3cret/+=", acr: ACRToken, codes: map[string]string{},
		keys: &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: priv.Public(), KeyID: "k1", Algorithm: oidc.ES256}},
			Algorithms: []string{oidc.ES256}}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", op.discovery)
	mux.Handle("GET /keys", op.keys)
	mux.HandleFunc("GET /authorize", op.authorize)
	mux.HandleFunc("POST /token", op.token)
	mux.HandleFunc("GET /userinfo", op.userinfo)
	op.srv = httptest.NewServer(mux)
	op.keys.SetIssuer(op.srv.URL)
	t.Cleanup(op.srv.Close)
	return op
}

func (op *fakeOP) set(f func(op *fakeOP)) {
	op.mu.Lock()
	defer op.mu.Unlock()
	f(op)
}

func (op *fakeOP) discovery(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	down := op.down
	op.mu.Unlock()
	if down {
		http.Error(w, "starting", http.StatusServiceUnavailable)
		return
	}
	u := op.srv.URL
	json.NewEncoder(w).Encode(map[string]any{"issuer": u, "authorization_endpoint": u + "/authorize",
		"token_endpoint": u + "/token", "userinfo_endpoint": u + "/userinfo", "jwks_uri": u + "/keys",
		"end_session_endpoint": u + "/end_session", "code_challenge_methods_supported": []string{"S256"},
		"id_token_signing_alg_values_supported": []string{"ES256"}, "response_types_supported": []string{"code"}})
}

// authorize logs the citizen in at once and sends the browser back.
func (op *fakeOP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	op.mu.Lock()
	op.auths = append(op.auths, q)
	code := rand.Text()
	op.codes[code] = q.Get("code_challenge") + " " + q.Get("nonce")
	op.mu.Unlock()
	back := q.Get("redirect_uri") + "?" + url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back, http.StatusFound)
}

func (op *fakeOP) token(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	id, secret, _ := r.BasicAuth()
	id, _ = url.QueryUnescape(id)
	secret, _ = url.QueryUnescape(secret)
	cn, known := op.codes[r.PostFormValue("code")]
	delete(op.codes, r.PostFormValue("code"))
	var challenge, nonce string
	fmt.Sscan(cn, &challenge, &nonce)
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	switch {
	case id != op.client || secret != op.secret:
		op.tokenErr = "client authentication"
	case !known:
		op.tokenErr = "unknown code"
	case base64.RawURLEncoding.EncodeToString(sum[:]) != challenge:
		op.tokenErr = "PKCE verifier"
	default:
		op.tokenErr = ""
	}
	if op.tokenErr != "" {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
		return
	}
	if op.nonce != "" {
		nonce = op.nonce
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "at-" + fakeSub, "token_type": "Bearer",
		"expires_in": 300, "id_token": op.idToken(nonce)})
}

func (op *fakeOP) idToken(nonce string) string {
	now := time.Now()
	claims, _ := json.Marshal(map[string]any{"iss": op.srv.URL, "aud": op.client, "sub": fakeSub, "nonce": nonce,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "auth_time": now.Add(-time.Minute).Unix(),
		"acr": op.acr, "amr": amrFor(op.acr)})
	return oidctest.SignIDToken(op.priv, "k1", oidc.ES256, string(claims))
}

func amrFor(acr string) []string {
	if acr == ACREID {
		return []string{"sc", "pin", "mfa"}
	}
	return []string{"pwd", "otp", "mfa"}
}

func (op *fakeOP) userinfo(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	defer op.mu.Unlock()
	if r.Header.Get("Authorization") != "Bearer at-"+fakeSub {
		http.Error(w, "bad token", http.StatusUnauthorized)
		return
	}
	sub := fakeSub
	if op.infoSub != "" {
		sub = op.infoSub
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"sub": sub, "name": "Lien Maes", "given_name": "Lien",
		"family_name": "Maes"})
}

func (op *fakeOP) lastAuth() url.Values {
	op.mu.Lock()
	defer op.mu.Unlock()
	if len(op.auths) == 0 {
		op.t.Fatal("the provider saw no authorization request")
	}
	return op.auths[len(op.auths)-1]
}
