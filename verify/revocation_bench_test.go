package verify_test

import (
	"slices"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/verify"
)

// BenchmarkValidateRevocation measures token validation without a
// revocation check ("none"), with a warm OCSP cache ("ocsp-warm"), and
// with a cold one ("ocsp-cold": a new checker per token, asking the
// in-process responder over loopback HTTP, whose own signature is in that
// figure). "paired" runs the three in turn on every iteration and reports
// the median of each and their ratios, which stay meaningful on a busy
// machine where separate runs drift.
//
//	go test -run '^$' -bench ValidateRevocation -benchtime 2s -count 3 ./verify
func BenchmarkValidateRevocation(b *testing.B) {
	p := getRevPKI(b)
	for _, alg := range []string{"RS256", "ES384"} {
		key := genKey(b, map[string]string{"ES384": "P-384", "RS256": "RSA"}[alg])
		srv := newRevServer(b, p)
		chain := p.revLeaf(b, key, srv.URL())
		tok := makeToken(b, key, chain[0].Raw, tokenSpec{alg: alg})
		checker := func() *verify.OCSPChecker {
			return ocspChecker(newClock(genNow), func(c *verify.OCSPConfig) { c.Client = srv.srv.Client() })
		}
		warmChecker := checker()
		if err := warmChecker.CheckRevocation(chain); err != nil {
			b.Fatal(err)
		}
		none := p.validator(b)
		warm := p.validator(b, func(c *verify.Config) { c.Revocation = warmChecker })
		cold := func() *verify.Validator {
			return p.validator(b, func(c *verify.Config) { c.Revocation = checker() })
		}
		kinds := []struct {
			name string
			v    func() *verify.Validator
		}{
			{"none", func() *verify.Validator { return none }},
			{"ocsp-warm", func() *verify.Validator { return warm }},
			{"ocsp-cold", cold},
		}
		validate := func(b *testing.B, v *verify.Validator) {
			if _, err := v.Validate(tok, testNonce); err != nil {
				b.Fatal(err)
			}
		}
		for _, k := range kinds {
			b.Run(alg+"/"+k.name, func(b *testing.B) {
				for b.Loop() {
					validate(b, k.v())
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
			})
		}
		b.Run(alg+"/paired", func(b *testing.B) {
			times := make([][]time.Duration, len(kinds))
			for b.Loop() {
				for i, k := range kinds {
					v := k.v()
					start := time.Now()
					validate(b, v)
					times[i] = append(times[i], time.Since(start))
				}
			}
			med := make([]float64, len(kinds))
			for i, k := range kinds {
				med[i] = float64(median(times[i]).Microseconds())
				b.ReportMetric(med[i], "us-"+k.name)
			}
			b.ReportMetric(med[1]/med[0], "warm/none")
			b.ReportMetric(med[2]/med[1], "cold/warm")
		})
	}
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkOCSPWarmCheck is the warm cache's own cost per check.
func BenchmarkOCSPWarmCheck(b *testing.B) {
	p := getRevPKI(b)
	srv := newRevServer(b, p)
	chain := p.revLeaf(b, genKey(b, "P-256"), srv.URL())
	c := ocspChecker(newClock(genNow))
	for b.Loop() {
		if _, err := c.RevocationStatus(chain); err != nil {
			b.Fatal(err)
		}
	}
	if n := srv.ocspHits.Load(); n != 1 {
		b.Errorf("%d requests, want 1", n)
	}
}
