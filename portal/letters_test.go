package portal

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/eidbridge/eidbridge/portal/store"
	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

// queueLetters queues n letters for one citizen, as activations do.
func queueLetters(t *testing.T, p *Portal, n int) {
	t.Helper()
	ctx, now := context.Background(), p.cfg.Clock()
	err := p.db.InTx(ctx, func(tx *store.Tx) error {
		id, err := upsertPerson(ctx, tx, person{NationalNumber: "85031486536", Surname: "Peeters", GivenNames: "Jan"}, "", "nl", now)
		for i := range n {
			if err != nil {
				return err
			}
			m := message{Kind: kindLetter, To: "Jan Peeters", Subject: "token", HTML: fmt.Sprintf("<p>letter %d SECRETCODE</p>", i)}
			_, err = p.queueLetter(ctx, tx, id, m.encode(p.from(), now), now)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Two instances draining one queue at once write each letter once, and
// the queue keeps no letter in clear.
func TestClusterLettersClaimedOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		e, ps := newCluster(t, dsn)
		const n = 20
		queueLetters(t, e.p, n)
		var sealed []byte
		e.p.db.QueryRow(`SELECT sealed FROM letters LIMIT 1`).Scan(&sealed)
		if len(sealed) == 0 || bytes.Contains(sealed, []byte("SECRETCODE")) {
			t.Fatalf("a queued letter is not sealed (%d bytes)", len(sealed))
		}
		var wg sync.WaitGroup
		counts := make([]int, 4)
		for i := range counts {
			wg.Go(func() {
				var err error
				if counts[i], err = ps[i%2].drainLetters(context.Background()); err != nil {
					t.Errorf("drain: %v", err)
				}
			})
		}
		wg.Wait()
		total := 0
		for _, c := range counts {
			total += c
		}
		if got := len(e.outbox()); total != n || got != n {
			t.Fatalf("workers wrote %d letters, the outbox holds %d, want %d", total, got, n)
		}
		e.countRows(map[string]int{"letters": 0})
	})
}

// A letter whose worker died mid-delivery (claimed, never written) is
// written by another instance once the lease ends, not before.
func TestClusterLetterLeaseRecovers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		e, ps := newCluster(t, dsn)
		queueLetters(t, e.p, 1)
		if l, err := ps[0].claimLetter(context.Background(), 0); l == nil || err != nil {
			t.Fatalf("claim: %v", err)
		} // and the instance dies
		if n, _ := ps[1].drainLetters(context.Background()); n != 0 {
			t.Fatal("a letter under lease was written by another instance")
		}
		e.clock.add(letterLease)
		if n, err := ps[1].drainLetters(context.Background()); n != 1 || err != nil {
			t.Fatalf("after the lease: %d letters written (%v), want 1", n, err)
		}
		if m := e.last(); m.kind != kindLetter || len(e.outbox()) != 1 {
			t.Fatalf("outbox: %d messages, last %s", len(e.outbox()), m.kind)
		}
	})
}
