package integration

import (
	"context"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/eid/virtualcard"
	"github.com/eidbridge/eidbridge/eid/virtualcard/vpcd"
	"github.com/eidbridge/eidbridge/pcsc"
)

// The tests use the first vpcd slot; the pcsc package's tests use the
// second, so both can share one pcscd.
const (
	testReader = "Virtual PCD 00 00"
	testAddr   = "127.0.0.1:35963"
)

// waitFor bounds every wait on pcscd: a card or reader change takes well
// under a second, so this only trips when something is broken.
const waitFor = 15 * time.Second

// needPCSC skips unless the integration tests are enabled.
func needPCSC(t testing.TB) {
	t.Helper()
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") != "1" {
		t.Skip("integration test: set EIDBRIDGE_PCSC_TESTS=1 with pcscd and vsmartcard-vpcd running (make test does)")
	}
}

func fixtureDir(name string) string {
	return filepath.Join("..", "eid", "virtualcard", "testdata", name)
}

// loadFixture loads a shipped profile. Load only reads the directory and
// a card made with New saves nothing, so the fixture stays untouched.
func loadFixture(t testing.TB, name string) *virtualcard.Content {
	t.Helper()
	c, err := virtualcard.Load(fixtureDir(name))
	if err != nil {
		t.Fatalf("loading fixture %s: %v", name, err)
	}
	return c
}

// fixtureRoots is the fixture's test root CA as a trust pool.
func fixtureRoots(t testing.TB, name string) *x509.CertPool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir(name), "root-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		t.Fatalf("fixture %s: root-ca.pem holds no certificate", name)
	}
	return pool
}

// newContext is a pcsc.Context closed when the test ends.
func newContext(t testing.TB) *pcsc.Context {
	t.Helper()
	pc, err := pcsc.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = pc.Close() })
	return pc
}

// inserted is a card served into the test reader by this process.
type inserted struct {
	cancel context.CancelFunc
	done   chan error
}

// insert serves card in the test reader until remove (at the latest when
// the test ends) and waits until pcscd sees it. When the driver drops the
// connection (pcscd stopped) the card is dialled in again, so it comes
// back by itself after a pcscd restart.
func insert(t testing.TB, pc *pcsc.Context, card vpcd.Card) *inserted {
	t.Helper()
	if err := probe(pc); err == nil {
		t.Fatalf("%q already holds a card: another process uses vpcd port %s (a stray `eidbridge vcard run`?)", testReader, testAddr)
	}
	ctx, cancel := context.WithCancel(context.Background())
	in := &inserted{cancel: cancel, done: make(chan error, 1)}
	go func() { in.done <- serveAgain(ctx, card) }()
	t.Cleanup(func() { in.remove(t, pc) })
	waitCard(t, pc, true)
	return in
}

// serveAgain serves card until ctx is done, dialling again every 100 ms
// while vpcd is not listening or after the driver closed the connection.
func serveAgain(ctx context.Context, card vpcd.Card) error {
	for ctx.Err() == nil {
		_ = vpcd.Serve(ctx, testAddr, card) // a dial failure or an end: retry
		select {
		case <-ctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// pull closes the card's vpcd connection at once, as a hand pulls a card;
// it does not wait for pcscd.
func (in *inserted) pull() { in.cancel() }

// remove pulls the card and waits until pcscd has seen it go, so that the
// next test starts with an empty reader. It is idempotent.
func (in *inserted) remove(t testing.TB, pc *pcsc.Context) {
	t.Helper()
	in.cancel()
	select {
	case <-in.done:
		in.done <- nil // let a second remove through
	case <-time.After(waitFor):
		t.Fatal("the vpcd card did not stop")
	}
	waitCard(t, pc, false)
}

// waitCard waits until pcscd sees the test reader with (present) or
// without a card, by connecting rather than with GetStatusChange, which
// must not run next to a Watch in this process.
func waitCard(t testing.TB, pc *pcsc.Context, present bool) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		err := probe(pc)
		if present && err == nil || !present && errors.Is(err, pcsc.ErrNoCard) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%q did not become present=%v within %v: last connect: %v", testReader, present, waitFor, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func probe(pc *pcsc.Context) error {
	c, err := pc.Connect(testReader)
	if err != nil {
		return err
	}
	return c.Close()
}

// openEID connects to the test reader and opens the eID the way the
// command line does: the ATR picks the family, GET CARD DATA the applet.
func openEID(t testing.TB, pc *pcsc.Context) (*pcsc.Card, *eid.Card) {
	t.Helper()
	conn, err := pc.Connect(testReader)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	family := eid.RecognizeATR(conn.ATR())
	if family == eid.NotBelgianEID {
		t.Fatalf("ATR %X not recognised as a Belgian eID", conn.ATR())
	}
	card, err := eid.Open(conn, family)
	if err != nil {
		t.Fatalf("eid.Open: %v", err)
	}
	return conn, card
}
