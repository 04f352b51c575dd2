package portal

import (
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

// haproxyConfig balances every request on its own (http mode, round
// robin, no stickiness) over the backends.
const haproxyConfig = `global
	maxconn 256
defaults
	mode http
	timeout connect 5s
	timeout client 30s
	timeout server 30s
	option http-server-close
frontend portal
	bind %s
	default_backend instances
backend instances
	balance roundrobin
%s`

// startHAProxyAt runs Debian's haproxy on addr in front of the backends
// and returns once it listens. Without haproxy the test is skipped, except
// under make test, which installs it.
func startHAProxyAt(t *testing.T, addr string, backends ...string) {
	t.Helper()
	bin, err := exec.LookPath("haproxy")
	if err != nil {
		if os.Getenv("EIDBRIDGE_PCSC_TESTS") == "1" {
			t.Fatal("haproxy is not installed: make test installs it (scripts/testenv.sh)")
		}
		t.Skip("SKIPPED: haproxy is not installed (apt-get install haproxy)")
	}
	var servers strings.Builder
	for i, b := range backends {
		fmt.Fprintf(&servers, "\tserver i%d %s\n", i, b)
	}
	cfg := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(haproxyConfig, addr, servers.String())), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-db", "-f", cfg)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy did not listen on %s:\n%s", addr, out.String())
		}
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// haproxyCluster runs two instances on one fresh PostgreSQL database
// behind haproxy, on plain http on loopback (an origin the portal
// accepts without TLS). The env's server stands for haproxy: browsers
// and cards use its URL. served counts each instance's requests.
func haproxyCluster(t *testing.T) (*env, *[2]atomic.Int64, func() *browser) {
	dsn := storetest.Postgres(t)
	front := freeAddr(t) // chosen first: it is the origin the instances serve
	e, ps := newInstances(t, 2, dsn, func(c *Config) { c.Origin = "http://" + front; c.MaxLoginFailures = 3 })
	served := new([2]atomic.Int64)
	var backends []string
	for i, p := range ps {
		s := httptest.NewServer(counted(p, &served[i]))
		t.Cleanup(s.Close)
		backends = append(backends, strings.TrimPrefix(s.URL, "http://"))
	}
	startHAProxyAt(t, front, backends...)
	e.srv = &httptest.Server{URL: "http://" + front}
	return e, served, func() *browser {
		jar, _ := cookiejar.New(nil)
		return &browser{t: t, e: e, c: &http.Client{Jar: jar}}
	}
}

// counted counts the requests an instance serves.
func counted(h http.Handler, n *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1); h.ServeHTTP(w, r) })
}

// Two instances on one PostgreSQL behind a real HAProxy, every request
// balanced on its own: the online request, a login, two renewals at once
// and a lockout all go through both instances.
func TestClusterBehindHAProxy(t *testing.T) {
	e, served, browser := haproxyCluster(t)
	c := loadCard(t, "citizen-1.8")
	if r := browser().requestOnline(c, user1, pass1, mail1); r.path != "/request/sent" {
		t.Fatalf("request through haproxy: %d %s\n%s", r.status, r.path, r.body)
	}
	codes := e.last().codes(t)
	if r, _ := browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login through haproxy: %d %s", r.status, r.path)
	}

	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			if r := browser().requestOnline(c, "", "", ""); r.path != "/request/sent" {
				t.Errorf("simultaneous renewal: %d %s", r.status, r.path)
			}
		})
	}
	wg.Wait()
	var active int
	e.p.db.QueryRow(`SELECT COUNT(*) FROM tokens WHERE status = 'active'`).Scan(&active)
	if active != 1 {
		t.Fatalf("%d active tokens after two simultaneous renewals, want 1", active)
	}
	last := e.last().codes(t)
	for range 3 {
		browser().login(user1, "not the password", func(int) string { return "" })
	}
	if r, _ := browser().login(user1, pass1, func(p int) string { return last[p] }); r.path == "/me" {
		t.Error("three wrong passwords across the instances did not lock the account")
	}
	for i := range served {
		if n := served[i].Load(); n < 10 {
			t.Errorf("instance %d served %d requests: haproxy did not balance", i, n)
		}
	}
}
