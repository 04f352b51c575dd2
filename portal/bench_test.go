package portal

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// Run: go test -run '^$' -bench . -benchtime 3s ./portal
// Results and what they mean: docs/performance.md, section "Portal".

// nationalNumber makes a valid 19xx national number from a sequence.
func nationalNumber(seq int) string {
	base := 800101002 + seq*2 // born 1 January 1980, even sequences from 002
	return fmt.Sprintf("%09d%02d", base, 97-base%97)
}

// BenchmarkLogin is a whole login as a browser does it: login page,
// password (argon2id), code page, code, citizen page. Each goroutine
// logs in to its own account, so that the positions do not interfere.
func BenchmarkLogin(b *testing.B) {
	e := newEnv(b, "citizen-1.8", func(c *Config) { c.LoginRate, c.LoginBurst = 1e9, 1e9 })
	n := runtime.GOMAXPROCS(0)
	type account struct {
		user  string
		codes map[int]string
	}
	accounts := make([]account, n)
	for i := range accounts {
		f := desk(nationalNumber(i))
		code, link := e.register(f)
		user := fmt.Sprintf("bench%02d", i)
		if r := e.browser().submit(link, link, activationForm(code, user, "benchmark password")); r.path != "/request/sent" {
			b.Fatalf("activation: %s", r.path)
		}
		accounts[i] = account{user: user, codes: e.last().codes(b)}
	}
	var next atomic.Int32
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		a := accounts[int(next.Add(1)-1)%n]
		br := e.browser()
		for pb.Next() {
			if r, _ := br.login(a.user, "benchmark password", func(p int) string { return a.codes[p] }); r.path != "/me" {
				b.Errorf("login %s: %d %s", a.user, r.status, r.path)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "logins/s")
}

// BenchmarkVerifyEID is the check behind an online request: the nonce
// consumed, the token (certificate chain, signature) and the identity
// data (National Register signatures on identity and address, RRN
// chain) verified. Tokens are signed beforehand: the card's work is not
// the site's.
func BenchmarkVerifyEID(b *testing.B) {
	for _, fixture := range []string{"citizen-1.8", "citizen-1.7"} {
		b.Run(fixture, func(b *testing.B) {
			e := newEnv(b, fixture)
			c := loadCard(b, fixture)
			const sid = "bench-session"
			nonces, tokens := make([]string, b.N), make([][]byte, b.N)
			for i := range b.N {
				n, err := e.p.nonces.Issue(sid)
				if err != nil {
					b.Fatal(err)
				}
				nonces[i], tokens[i] = n, c.token(b, e.srv.URL, n)
			}
			var next atomic.Int64
			b.ResetTimer()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := next.Add(1) - 1
					if _, key := e.p.checkEID(sid, nonces[i], tokens[i], c.files); key != "" {
						b.Errorf("proof %d refused: %s", i, key)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "verifications/s")
		})
	}
}

// BenchmarkPasswordHash is one argon2id hash, the bulk of a login.
func BenchmarkPasswordHash(b *testing.B) {
	h, err := hashPassword("benchmark password")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if ok, _ := checkPassword(h, "benchmark password"); !ok {
			b.Fatal("password refused")
		}
	}
}
