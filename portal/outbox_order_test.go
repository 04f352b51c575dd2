package portal

import (
	"context"
	"testing"

	"github.com/eidbridge/eidbridge/portal/store"
	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

// A citizen's mails go out in the order they were queued: with the first
// still on its way (claimed by another request or worker), the second's
// request leaves it, and the first's sender sends it next. Two renewals
// at once on two instances otherwise mailed the revoked token's codes
// after the current ones (TestClusterSimultaneousTokenRequests, now and
// then).
func TestMailsOfACitizenGoOutInOrder(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		e := newEnv(t, "citizen-1.8", func(c *Config) { c.Database = dsn })
		ctx, now := context.Background(), e.clock.now()
		var ids [2]int64
		err := e.p.db.InTx(ctx, func(tx *store.Tx) error {
			citizen, err := upsertPerson(ctx, tx, person{NationalNumber: "85031400123", Surname: "Peeters", GivenNames: "Jan"}, "", "nl", now)
			for i, subject := range []string{"first", "second"} {
				if err == nil {
					ids[i], err = e.p.queueMail(ctx, tx, citizen, message{Kind: kindMail, To: "jan@example.be", Subject: subject, HTML: "<p>x</p>"}, now)
				}
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		first, err := e.p.claimQueued(ctx, mailQueue, ids[0], 0) // on its way
		if err != nil || first == nil {
			t.Fatalf("claim the first: %v", err)
		}
		e.p.mailNow(ctx, ids[1])
		if n := len(e.outbox()); n != 0 {
			t.Fatalf("the second mail went out before the first (%d sent)", n)
		}
		e.p.sendInOrder(ctx, first)
		got := e.outbox()
		if len(got) != 2 || got[0].subject != "first" || got[1].subject != "second" {
			t.Fatalf("sent %+v, want first then second", got)
		}
		if pending, _ := e.outboxRows(); pending != 0 {
			t.Errorf("%d mails still queued", pending)
		}
	})
}
