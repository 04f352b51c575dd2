package verify_test

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ocsp"

	"github.com/eidbridge/eidbridge/verify"
)

func TestOCSPGood(t *testing.T) {
	p := getRevPKI(t)
	for name, mod := range map[string]func(a *ocspAnswer){
		// A thisUpdate 10 minutes old passes only because the nonce is
		// recognised (see TestOCSPStale for the same answer without one).
		"nonce in singleExtensions": func(a *ocspAnswer) {
			a.nonce, a.thisUpdate = nonceSingle, genNow.Add(-10*time.Minute)
		},
		"nonce in responseExtensions": func(a *ocspAnswer) {
			a.nonce, a.thisUpdate = nonceResponse, genNow.Add(-10*time.Minute)
		},
		"no nonce, fresh thisUpdate": func(a *ocspAnswer) { a.nonce = nonceNone },
		"no nextUpdate":              func(a *ocspAnswer) { a.nextUpdate = time.Time{} },
		"delegated responder": func(a *ocspAnswer) {
			a.signer, a.key, a.embed = p.responder, p.responderKey, true
		},
		"delegated responder, nonce in responseExtensions": func(a *ocspAnswer) {
			a.signer, a.key, a.embed, a.nonce = p.responder, p.responderKey, true, nonceResponse
		},
		"CA certificate embedded":      func(a *ocspAnswer) { a.embed = true },
		"thisUpdate ahead within skew": func(a *ocspAnswer) { a.thisUpdate = genNow.Add(10 * time.Minute) },
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRevServer(t, p)
			srv.set(mod)
			chain := p.revLeaf(t, genKey(t, "P-256"), srv.URL())
			desc, err := ocspChecker(newClock(genNow)).RevocationStatus(chain)
			if err != nil {
				t.Fatalf("RevocationStatus: %v", err)
			}
			if want := "good: OCSP at " + srv.URL() + "/ocsp, thisUpdate "; !strings.HasPrefix(desc, want) {
				t.Errorf("description %q, want prefix %q", desc, want)
			}
			if n := srv.ocspHits.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestOCSPRevoked(t *testing.T) {
	p := getRevPKI(t)
	srv := newRevServer(t, p)
	at := genNow.AddDate(0, -1, 0)
	srv.set(func(a *ocspAnswer) { a.status, a.reason, a.revokedAt = ocsp.Revoked, ocsp.KeyCompromise, at })
	chain := p.revLeaf(t, genKey(t, "P-256"), srv.URL())
	err := ocspChecker(newClock(genNow)).CheckRevocation(chain)
	if !errors.Is(err, verify.ErrRevoked) || !errors.Is(err, verify.ErrRevocation) {
		t.Fatalf("got %v, want ErrRevoked", err)
	}
	for _, want := range []string{"keyCompromise", at.Format(time.RFC3339), "serial " + chain[0].SerialNumber.Text(16), srv.URL() + "/ocsp"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), genNationalNumber) {
		t.Errorf("%q names the national number", err)
	}
}

func TestOCSPUnknown(t *testing.T) {
	p := getRevPKI(t)
	for name, mod := range map[string]func(a *ocspAnswer){
		"status unknown":          func(a *ocspAnswer) { a.status = ocsp.Unknown },
		"unauthorized (RFC 5019)": func(a *ocspAnswer) { a.raw = ocsp.UnauthorizedErrorResponse },
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRevServer(t, p)
			srv.set(mod)
			err := ocspChecker(newClock(genNow)).CheckRevocation(p.revLeaf(t, genKey(t, "P-256"), srv.URL()))
			wantRevErr(t, err, verify.ErrRevocationUnknown)
		})
	}
}

func TestOCSPUnreachable(t *testing.T) {
	p := getRevPKI(t)
	t.Run("server closed", func(t *testing.T) {
		srv := newRevServer(t, p)
		chain := p.revLeaf(t, genKey(t, "P-256"), srv.URL())
		srv.srv.Close()
		wantRevErr(t, ocspChecker(newClock(genNow)).CheckRevocation(chain), verify.ErrRevocationUnreachable)
	})
	t.Run("timeout", func(t *testing.T) {
		srv := newRevServer(t, p)
		srv.block = make(chan struct{})
		defer close(srv.block)
		chain := p.revLeaf(t, genKey(t, "P-256"), srv.URL())
		start := time.Now()
		err := ocspChecker(newClock(genNow), func(c *verify.OCSPConfig) { c.Timeout = 100 * time.Millisecond }).CheckRevocation(chain)
		wantRevErr(t, err, verify.ErrRevocationUnreachable)
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v with a 100 ms timeout", d)
		}
	})
	for name, mod := range map[string]func(a *ocspAnswer){
		"HTTP 500":  func(a *ocspAnswer) { a.httpStatus = 500 },
		"try later": func(a *ocspAnswer) { a.raw = ocsp.TryLaterErrorResponse },
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRevServer(t, p)
			srv.set(mod)
			err := ocspChecker(newClock(genNow)).CheckRevocation(p.revLeaf(t, genKey(t, "P-256"), srv.URL()))
			wantRevErr(t, err, verify.ErrRevocationUnreachable)
			if !strings.Contains(err.Error(), srv.URL()) {
				t.Errorf("%q does not name the URL", err)
			}
		})
	}
	t.Run("no responder URL", func(t *testing.T) {
		err := ocspChecker(newClock(genNow)).CheckRevocation(p.revLeaf(t, genKey(t, "P-256"), ""))
		wantRevErr(t, err, verify.ErrRevocationUnreachable)
	})
}

func TestOCSPStale(t *testing.T) {
	p := getRevPKI(t)
	for name, mod := range map[string]func(a *ocspAnswer){
		"thisUpdate in the future": func(a *ocspAnswer) { a.thisUpdate = genNow.Add(20 * time.Minute) },
		"nextUpdate past": func(a *ocspAnswer) {
			a.thisUpdate, a.nextUpdate = genNow.Add(-2*time.Hour), genNow.Add(-20*time.Minute)
		},
		"no nonce, old thisUpdate": func(a *ocspAnswer) {
			a.nonce, a.thisUpdate = nonceNone, genNow.Add(-10*time.Minute)
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRevServer(t, p)
			srv.set(mod)
			err := ocspChecker(newClock(genNow)).CheckRevocation(p.revLeaf(t, genKey(t, "P-256"), srv.URL()))
			wantRevErr(t, err, verify.ErrRevocationStale)
		})
	}
}

func TestOCSPBadSignature(t *testing.T) {
	p := getRevPKI(t)
	for name, mod := range map[string]func(a *ocspAnswer){
		"unrelated key": func(a *ocspAnswer) { a.key = p.otherKey },
		"delegated responder without OCSP-signing EKU": func(a *ocspAnswer) {
			a.signer, a.key, a.embed = p.noEKU, p.responderKey, true
		},
		"delegated responder of another CA": func(a *ocspAnswer) {
			a.signer, a.key, a.embed = p.foreign, p.responderKey, true
		},
		"expired delegated responder": func(a *ocspAnswer) {
			a.signer, a.key, a.embed = p.expired, p.responderKey, true
		},
		"CA impostor (same name, other key)": func(a *ocspAnswer) {
			a.signer, a.key, a.embed = p.impostor, p.impostorKey, true
		},
		"delegated responder not sent":     func(a *ocspAnswer) { a.signer, a.key = p.responder, p.responderKey },
		"answer about another certificate": func(a *ocspAnswer) { a.otherSerial = true },
		"nonce mismatch":                   func(a *ocspAnswer) { a.nonce = nonceWrong },
		"garbage":                          func(a *ocspAnswer) { a.raw = []byte("<html>not OCSP</html>") },
	} {
		t.Run(name, func(t *testing.T) {
			srv := newRevServer(t, p)
			srv.set(mod)
			err := ocspChecker(newClock(genNow)).CheckRevocation(p.revLeaf(t, genKey(t, "P-256"), srv.URL()))
			wantRevErr(t, err, verify.ErrRevocationBadSignature)
		})
	}
}

// TestOCSPCache: a good answer serves until its nextUpdate (5 minutes
// without one); failures are not kept.
func TestOCSPCache(t *testing.T) {
	p := getRevPKI(t)
	check := func(t *testing.T, c *verify.OCSPChecker, chain []*x509.Certificate, srv *revServer, want int64) {
		t.Helper()
		if err := c.CheckRevocation(chain); err != nil {
			t.Fatal(err)
		}
		if n := srv.ocspHits.Load(); n != want {
			t.Fatalf("%d requests, want %d", n, want)
		}
	}
	t.Run("until nextUpdate", func(t *testing.T) {
		srv, clock := newRevServer(t, p), newClock(genNow)
		srv.set(func(a *ocspAnswer) { a.nextUpdate = genNow.Add(time.Hour) })
		chain, c := p.revLeaf(t, genKey(t, "P-256"), srv.URL()), ocspChecker(clock)
		check(t, c, chain, srv, 1)
		clock.Add(59 * time.Minute)
		check(t, c, chain, srv, 1)
		clock.Add(2 * time.Minute)
		srv.set(func(a *ocspAnswer) { a.thisUpdate, a.nextUpdate = clock.Now(), clock.Now().Add(time.Hour) })
		check(t, c, chain, srv, 2)
	})
	t.Run("no nextUpdate", func(t *testing.T) {
		srv, clock := newRevServer(t, p), newClock(genNow)
		srv.set(func(a *ocspAnswer) { a.nextUpdate = time.Time{} })
		chain, c := p.revLeaf(t, genKey(t, "P-256"), srv.URL()), ocspChecker(clock)
		check(t, c, chain, srv, 1)
		clock.Add(4 * time.Minute)
		check(t, c, chain, srv, 1)
		clock.Add(2 * time.Minute)
		check(t, c, chain, srv, 2)
	})
	t.Run("revoked is kept", func(t *testing.T) {
		srv := newRevServer(t, p)
		srv.set(func(a *ocspAnswer) { a.status, a.revokedAt = ocsp.Revoked, genNow.Add(-time.Hour) })
		chain, c := p.revLeaf(t, genKey(t, "P-256"), srv.URL()), ocspChecker(newClock(genNow))
		for range 2 {
			wantRevErr(t, c.CheckRevocation(chain), verify.ErrRevoked)
		}
		if n := srv.ocspHits.Load(); n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("errors are not kept", func(t *testing.T) {
		srv := newRevServer(t, p)
		srv.set(func(a *ocspAnswer) { a.httpStatus = 503 })
		chain, c := p.revLeaf(t, genKey(t, "P-256"), srv.URL()), ocspChecker(newClock(genNow))
		wantRevErr(t, c.CheckRevocation(chain), verify.ErrRevocationUnreachable)
		srv.set(func(a *ocspAnswer) { a.httpStatus = 0 })
		check(t, c, chain, srv, 2)
	})
	t.Run("per certificate", func(t *testing.T) {
		srv, c := newRevServer(t, p), ocspChecker(newClock(genNow))
		check(t, c, p.revLeaf(t, genKey(t, "P-256"), srv.URL()), srv, 1)
		check(t, c, p.revLeaf(t, genKey(t, "P-256"), srv.URL()), srv, 2)
	})
}

// TestOCSPCoalesce: 50 concurrent checks of one certificate, while the
// responder holds the first request, send one request.
func TestOCSPCoalesce(t *testing.T) {
	p := getRevPKI(t)
	srv := newRevServer(t, p)
	srv.block = make(chan struct{})
	chain, c := p.revLeaf(t, genKey(t, "P-256"), srv.URL()), ocspChecker(newClock(genNow))
	errs := concurrently(50, srv.block, func() error { return c.CheckRevocation(chain) })
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.ocspHits.Load(); n != 1 {
		t.Errorf("%d requests for 50 concurrent checks, want 1", n)
	}
}

func TestOCSPResponderOverride(t *testing.T) {
	p := getRevPKI(t)
	srv := newRevServer(t, p)
	chain := p.revLeaf(t, genKey(t, "P-256"), "")
	c := ocspChecker(newClock(genNow), func(c *verify.OCSPConfig) { c.Responder = srv.URL() + "/ocsp" })
	if err := c.CheckRevocation(chain); err != nil {
		t.Fatal(err)
	}
	if err := c.CheckRevocation(chain[:1]); !errors.Is(err, verify.ErrRevocation) {
		t.Errorf("chain without issuer: %v", err)
	}
}
