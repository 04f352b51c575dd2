package portal

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

// Run one instance on one core, then two on two (docs/performance.md):
//
//	taskset -c 0 go test -run '^$' -bench 'Cluster.*/(sqlite|postgres)-1' -cpu 1 ./portal
//	taskset -c 0,1 go test -run '^$' -bench 'Cluster.*/postgres-2' -cpu 2 ./portal
//
// with EIDBRIDGE_TEST_POSTGRES set (scripts/testenv.sh pg-up).

// clusterCases: SQLite with one instance, PostgreSQL with one and two.
var clusterCases = []struct {
	name      string
	instances int
	postgres  bool
}{{"sqlite-1", 1, false}, {"postgres-1", 1, true}, {"postgres-2", 2, true}}

// latencies collects operation times for percentiles.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }

// report adds the rate and the 50th and 99th percentiles.
func (l *latencies) report(b *testing.B, start time.Time, unit string) {
	slices.Sort(l.d)
	at := func(q float64) float64 { return float64(l.d[int(q*float64(len(l.d)-1))].Microseconds()) / 1000 }
	b.ReportMetric(float64(len(l.d))/time.Since(start).Seconds(), unit)
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// clientsPerCore: two clients a core keep the core busy while the
// other's request waits for the database.
const clientsPerCore = 2

func benchCluster(b *testing.B, run func(b *testing.B, dsn string, instances int)) {
	for _, c := range clusterCases {
		b.Run(c.name, func(b *testing.B) {
			dsn := ""
			if c.postgres {
				dsn = storetest.Postgres(b)
			}
			run(b, dsn, c.instances)
		})
	}
}

// BenchmarkClusterLogin: whole logins (5 requests, one argon2id check)
// through a round robin of the instances; one client a core (the hash
// queue takes two checks per network and instance, and a round robin may
// send two clients' passwords to one instance), each on an account of
// its own.
func BenchmarkClusterLogin(b *testing.B) {
	benchCluster(b, func(b *testing.B, dsn string, n int) {
		e, _ := newInstances(b, n, dsn, func(c *Config) { c.LoginRate, c.LoginBurst = 1e9, 1e9 })
		accounts := make([]struct {
			user  string
			codes map[int]string
		}, runtime.GOMAXPROCS(0))
		for i := range accounts {
			code, link := e.register(desk(nationalNumber(i)))
			accounts[i].user = fmt.Sprintf("bench%02d", i)
			if r := e.browser().submit(link, link, activationForm(code, accounts[i].user, "benchmark password")); r.path != "/request/sent" {
				b.Fatalf("activation: %s", r.path)
			}
			accounts[i].codes = e.last().codes(b)
		}
		var next atomic.Int32
		var lat latencies
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			a := accounts[int(next.Add(1)-1)%len(accounts)]
			br := e.browser()
			for pb.Next() {
				t0 := time.Now()
				if r, _ := br.login(a.user, "benchmark password", func(p int) string { return a.codes[p] }); r.path != "/me" {
					b.Errorf("login %s: %d %s", a.user, r.status, r.path)
					return
				}
				lat.add(time.Since(t0))
			}
		})
		lat.report(b, start, "logins/s")
	})
}

// BenchmarkClusterTokenRequest: the site's whole work for an online
// renewal, at the instances in turn: the nonce consumed, the eID token
// and identity verified, the old token revoked and a new one issued
// with its 24 codes, and the e-mail written, all in one transaction.
// Each client renews its own citizen's token; tokens are signed
// beforehand (the card's work is not the site's).
func BenchmarkClusterTokenRequest(b *testing.B) {
	benchCluster(b, func(b *testing.B, dsn string, n int) {
		e, ps := newInstances(b, n, dsn)
		c := loadCard(b, "citizen-1.8")
		clients := clientsPerCore * runtime.GOMAXPROCS(0)
		who := make([]person, clients)
		for i := range who {
			who[i] = person{NationalNumber: nationalNumber(i), Surname: "Bench", GivenNames: fmt.Sprint(i)}
			f := &accountForm{Username: fmt.Sprintf("bench%02d", i), Password: "benchmark password", Email: "b@example.be"}
			if _, err := e.p.issueOnline(context.Background(), who[i], f, "nl"); err != nil {
				b.Fatal(err)
			}
		}
		const sid = "bench-session"
		nonces, tokens := make([]string, b.N), make([][]byte, b.N)
		for i := range b.N {
			nonces[i], _ = e.p.nonces.Issue(sid + fmt.Sprint(i))
			tokens[i] = c.token(b, e.srv.URL, nonces[i])
		}
		var next, client atomic.Int64
		var lat latencies
		b.SetParallelism(clientsPerCore)
		b.ResetTimer()
		start := time.Now()
		b.RunParallel(func(pb *testing.PB) {
			me := who[int(client.Add(1)-1)%clients]
			for pb.Next() {
				i := next.Add(1) - 1
				p := ps[i%int64(n)]
				t0 := time.Now()
				if _, key := p.checkEID(sid+fmt.Sprint(i), nonces[i], tokens[i], c.files); key != "" {
					b.Errorf("proof %d: %s", i, key)
					return
				}
				if _, err := p.issueOnline(context.Background(), me, nil, "nl"); err != nil {
					b.Errorf("renewal: %v", err)
					return
				}
				lat.add(time.Since(t0))
			}
		})
		lat.report(b, start, "requests/s")
	})
}
