package idp

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Signing keys rotate by period: period n (time since the epoch divided
// by KeyPeriod) signs with key n. Key n+1 is made KeyAnnounce before its
// period begins, so services see it in the JWKS before any token carries
// it; key n-1 stays published through period n, long after the last ID
// token it signed expired. Instances agree without talking: the period
// is the key's primary key, and the first to insert it wins.

// signingKey is one ES256 key.
type signingKey struct {
	id  string
	key *ecdsa.PrivateKey
}

func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k *signingKey) Key() any                                    { return k.key }
func (k *signingKey) ID() string                                  { return k.id }

// publicKey is a key as the JWKS shows it.
type publicKey struct{ k *signingKey }

func (k publicKey) ID() string                         { return k.k.id }
func (k publicKey) Algorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (k publicKey) Use() string                        { return "sig" }
func (k publicKey) Key() any                           { return &k.k.key.PublicKey }

// keyCache keeps keys read: a period's key never changes once made.
type keyCache struct {
	mu   sync.Mutex
	keys map[int64]*signingKey
}

func (p *Provider) period() int64 { return p.now().UnixNano() / int64(p.cfg.KeyPeriod) }

func (s *storage) SigningKey(ctx context.Context) (op.SigningKey, error) {
	n := s.p.period()
	start := n * int64(s.p.cfg.KeyPeriod)
	if s.p.now().UnixNano()+int64(s.p.cfg.KeyAnnounce) >= start+int64(s.p.cfg.KeyPeriod) {
		if _, err := s.p.key(ctx, n+1, true); err != nil { // announce the next one
			return nil, err
		}
	}
	return s.p.key(ctx, n, true)
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}

// KeySet is the previous, current and next period's keys, those that exist.
func (s *storage) KeySet(ctx context.Context) ([]op.Key, error) {
	n := s.p.period()
	if _, err := s.SigningKey(ctx); err != nil { // the current one always exists
		return nil, err
	}
	var out []op.Key
	for _, at := range []int64{n - 1, n, n + 1} {
		k, err := s.p.key(ctx, at, false)
		if err != nil {
			return nil, err
		}
		if k != nil {
			out = append(out, publicKey{k})
		}
	}
	return out, nil
}

// key is period n's key; made when missing and make is set, else nil.
func (p *Provider) key(ctx context.Context, n int64, make bool) (*signingKey, error) {
	p.keys.mu.Lock()
	k := p.keys.keys[n]
	p.keys.mu.Unlock()
	if k != nil {
		return k, nil
	}
	k, err := p.readKey(ctx, n)
	if k == nil && err == nil && make {
		if err = p.newKey(ctx, n); err == nil {
			k, err = p.readKey(ctx, n)
		}
	}
	if err != nil || k == nil {
		return nil, err
	}
	p.keys.mu.Lock()
	p.keys.keys[n] = k
	p.keys.mu.Unlock()
	return k, nil
}

func keyAD(n int64) string { return "oidc_keys " + strconv.FormatInt(n, 10) }

func (p *Provider) readKey(ctx context.Context, n int64) (*signingKey, error) {
	var sealed []byte
	err := p.db.QueryRowContext(ctx, `SELECT private FROM oidc_keys WHERE period = ?`, n).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("signing key %d: %w", n, err)
	}
	der, err := p.sec.open(keyAD(n), sealed)
	if err != nil {
		return nil, fmt.Errorf("signing key %d: %w", n, err)
	}
	priv, err := x509.ParsePKCS8PrivateKey(der)
	ec, ok := priv.(*ecdsa.PrivateKey)
	if err != nil || !ok {
		return nil, fmt.Errorf("signing key %d: not an ECDSA key (%v)", n, err)
	}
	return &signingKey{id: "k" + strconv.FormatInt(n, 10), key: ec}, nil
}

// newKey makes period n's key unless another instance made it first.
func (p *Provider) newKey(ctx context.Context, n int64) error {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("signing key %d: %w", n, err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return fmt.Errorf("signing key %d: %w", n, err)
	}
	_, err = p.db.ExecContext(ctx, `INSERT INTO oidc_keys (period, private, created_at) VALUES (?, ?, ?)
		ON CONFLICT (period) DO NOTHING`, n, p.sec.seal(keyAD(n), der), p.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("signing key %d: %w", n, err)
	}
	return nil
}
