package portal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/portal/store"
	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

// drainMail runs one round of the outbox's worker, as its tick does.
func (e *env) drainMail() int {
	e.t.Helper()
	n, err := e.p.drainOutbox(context.Background())
	if err != nil {
		e.t.Fatalf("a round of the outbox: %v", err)
	}
	return n
}

// outboxRows counts the outbox's rows: queued (still to be tried) and
// given up.
func (e *env) outboxRows() (pending, failed int) {
	e.t.Helper()
	err := e.p.db.QueryRow(`SELECT COUNT(*) FILTER (WHERE failed_at = 0), COUNT(*) FILTER (WHERE failed_at <> 0)
		FROM outbox`).Scan(&pending, &failed)
	if err != nil {
		e.t.Fatal(err)
	}
	return pending, failed
}

// queueMails queues a mail to each of n citizens, as requests do, and
// returns the rows' ids.
func queueMails(t *testing.T, p *Portal, n int) []int64 {
	t.Helper()
	ctx, now := context.Background(), p.cfg.Clock()
	ids := make([]int64, n)
	err := p.db.InTx(ctx, func(tx *store.Tx) error {
		for i := range ids {
			who := person{NationalNumber: fmt.Sprintf("850314%05d", i), Surname: "Peeters", GivenNames: "Jan"}
			citizen, err := upsertPerson(ctx, tx, who, "", "nl", now)
			if err != nil {
				return err
			}
			m := message{Kind: kindMail, To: fmt.Sprintf("citizen%d@example.be", i), Subject: "s", HTML: "<p>SECRETCODE</p>"}
			if ids[i], err = p.queueMail(ctx, tx, citizen, m, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestMailNotSentWhenTheCommitFails: a transaction that recorded a token
// or an activation, and its mail, then fails to commit sends nothing:
// not at once, not later. (The mail used to go out inside the
// transaction, before a commit that could still fail.)
func TestMailNotSentWhenTheCommitFails(t *testing.T) {
	for _, d := range deliverers {
		t.Run(d.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T, dsn string) {
				srv := newSMTPServer(t, "", "")
				e := newEnv(t, "citizen-1.8", func(c *Config) {
					c.Database = dsn
					c.SMTP = &SMTP{Addr: srv.addr(), From: smtpFrom}
				})
				failCommits(t, e.p.db)
				if _, err := d.run(e, context.Background()); err == nil || !strings.Contains(err.Error(), "commit") {
					t.Fatalf("%v, want the commit to fail", err)
				}
				e.clock.add(time.Hour)
				if n := e.drainMail(); n != 0 || srv.connections() != 0 {
					t.Errorf("%d mails sent, %d SMTP connections after a failed commit", n, srv.connections())
				}
				e.countRows(map[string]int{"outbox": 0, "tokens": 0, "activations": 0})
			})
		})
	}
}

// failCommits makes every transaction that inserts a token or an
// activation fail at its commit, not before: a foreign key checked only
// then (deferred) that the rows' triggers break.
func failCommits(t *testing.T, db *store.DB) {
	t.Helper()
	stmts := []string{
		`CREATE TABLE tripwire_parent (id BIGINT PRIMARY KEY)`,
		`CREATE TABLE tripwire (id BIGINT REFERENCES tripwire_parent(id) DEFERRABLE INITIALLY DEFERRED)`,
	}
	for _, table := range []string{"tokens", "activations"} {
		if db.Dialect() == store.Postgres {
			stmts = append(stmts, `CREATE OR REPLACE FUNCTION tripwire() RETURNS trigger LANGUAGE plpgsql AS
				$$ BEGIN INSERT INTO tripwire VALUES (1); RETURN NULL; END $$`,
				`CREATE TRIGGER tripwire_`+table+` AFTER INSERT ON `+table+` FOR EACH ROW EXECUTE FUNCTION tripwire()`)
		} else {
			stmts = append(stmts, `CREATE TRIGGER tripwire_`+table+` AFTER INSERT ON `+table+`
				BEGIN INSERT INTO tripwire VALUES (1); END`)
		}
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestMailRolledBackLeavesNothing: a transaction that queued a mail and
// then failed leaves nothing to send.
func TestMailRolledBackLeavesNothing(t *testing.T) {
	srv, e := smtpEnv(t, "", "")
	ctx, now := context.Background(), e.clock.now()
	failed := errors.New("a later step failed")
	err := e.p.db.InTx(ctx, func(tx *store.Tx) error {
		id, err := upsertPerson(ctx, tx, person{NationalNumber: "85031486536", Surname: "Peeters", GivenNames: "Jan"}, "", "nl", now)
		if err != nil {
			return err
		}
		if _, err := e.p.queueMail(ctx, tx, id, message{Kind: kindMail, To: janMail, Subject: "s", HTML: "h"}, now); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("transaction: %v", err)
	}
	if n := e.drainMail(); n != 0 || srv.connections() != 0 {
		t.Errorf("%d mails sent from a rolled-back transaction", n)
	}
	e.countRows(map[string]int{"outbox": 0, "citizens": 0})
}

// TestMailSentOnceWhenTheRelayIsBack: with the relay down the request is
// answered and its mail queued; once the relay is back, the mail goes
// out, once, when the breaker's window and the mail's back-off have
// passed, and its codes log in.
func TestMailSentOnceWhenTheRelayIsBack(t *testing.T) {
	srv, e := smtpEnv(t, "", "")
	gateClock := &clock{t: time.Now()}
	e.p.gate.now = gateClock.now
	addr := srv.addr()
	srv.ln.Close()
	queued := e.clock.now()
	if r := e.browser().requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1); r.path != "/request/sent" {
		t.Fatalf("request with the relay down: %d %s", r.status, r.path)
	}
	if pending, _ := e.outboxRows(); pending != 1 {
		t.Fatalf("%d mails queued, want 1", pending)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listening again on %s: %v", addr, err)
	}
	srv = serveSMTP(t, ln, "", "")
	e.clock.add(retryWait(1))
	if n := e.drainMail(); n != 0 || srv.connections() != 0 {
		t.Errorf("tried with the relay's breaker open: %d sent, %d connections", n, srv.connections())
	}
	gateClock.add(e.p.gate.window)
	if n := e.drainMail(); n != 1 {
		t.Fatalf("%d mails sent with the relay back, want 1", n)
	}
	for range 3 { // leases and back-offs long past
		e.clock.add(letterLease + letterRetryMax)
		if n := e.drainMail(); n != 0 {
			t.Errorf("%d mails sent again", n)
		}
	}
	codes := readMailQueuedAt(t, e, onlyMail(t, srv), mail1, e.p.cats["nl"].T("mail.token.subject"), queued).codes(t)
	if r, _ := e.browser().login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Errorf("the codes mailed late do not log in: %s", r.path)
	}
	e.countRows(map[string]int{"outbox": 0})
}

// TestMailWorkerSendsLater: the worker New starts sends a mail that
// failed at once (the relay deferring it), when its back-off has passed,
// and only once.
func TestMailWorkerSendsLater(t *testing.T) {
	srv := newSMTPServer(t, "", "")
	const interval = 20 * time.Millisecond
	e := newEnv(t, "citizen-1.8", func(c *Config) {
		c.SMTP = &SMTP{Addr: srv.addr(), From: smtpFrom}
		c.LetterInterval = interval
	})
	srv.setFault(faultRcptLater)
	if r := e.browser().requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1); r.path != "/request/sent" {
		t.Fatalf("request with the relay deferring: %d %s", r.status, r.path)
	}
	time.Sleep(5 * interval) // rounds before the back-off: nothing
	if mails, _ := srv.received(); len(mails) != 0 || len(srv.recipients()) != 1 {
		t.Fatalf("before the back-off: %d mails, %d RCPT TO, want 0 and 1", len(mails), len(srv.recipients()))
	}
	srv.setFault(faultNone)
	e.clock.add(retryWait(1))
	waitFor(t, "the worker to send the mail", func() bool { m, _ := srv.received(); return len(m) > 0 })
	time.Sleep(5 * interval)
	onlyMail(t, srv)
	e.countRows(map[string]int{"outbox": 0})
}

// TestMailGivenUpAfterMaxAttempts: a mail the relay keeps deferring is
// tried mailMaxAttempts times, with back-off, then given up: logged with
// the citizen's internal id only, kept in the outbox marked, and not
// tried again.
func TestMailGivenUpAfterMaxAttempts(t *testing.T) {
	srv, e := smtpEnv(t, "", "")
	srv.setFault(faultRcptLater)
	e.browser().requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1) // attempt 1
	for attempt := 2; attempt <= mailMaxAttempts; attempt++ {
		e.clock.add(retryWait(attempt - 1))
		if n := e.drainMail(); n != 0 {
			t.Fatalf("attempt %d: %d sent", attempt, n)
		}
		if pending, failed := e.outboxRows(); (pending == 1) != (attempt < mailMaxAttempts) || pending+failed != 1 {
			t.Fatalf("after attempt %d: %d queued, %d given up", attempt, pending, failed)
		}
	}
	if c := srv.connections(); c != mailMaxAttempts {
		t.Errorf("%d SMTP exchanges, want %d", c, mailMaxAttempts)
	}
	e.clock.add(24 * time.Hour)
	if n := e.drainMail(); n != 0 || srv.connections() != mailMaxAttempts {
		t.Errorf("a mail given up was tried again")
	}
	log := e.logs.String()
	if !strings.Contains(log, "e-mail given up") || !strings.Contains(log, fmt.Sprintf("attempts=%d", mailMaxAttempts)) {
		t.Errorf("the log does not say the mail was given up after %d attempts:\n%s", mailMaxAttempts, log)
	}
	if s := firstIn(log, mail1, e.p.cats["nl"].T("mail.token.subject"), "<td", "data-position"); s != "" {
		t.Errorf("the log holds %q:\n%s", s, log)
	}
}

// TestOutboxSealed: a queued mail holds neither the recipient's address
// nor the activation link or the codes in clear, in any column; it opens
// only for its citizen, and only as a mail.
func TestOutboxSealed(t *testing.T) {
	srv, e := smtpEnv(t, "", "")
	srv.setFault(faultRcptLater) // the mails stay queued
	queued := e.clock.now()
	if r := e.officer().submit("/officer", "/officer/register", desk("85031486536")); !activationCodeRE.MatchString(r.body) {
		t.Fatalf("registration: %d", r.status)
	}
	e.browser().requestOnline(loadCard(t, "citizen-1.8"), user1, pass1, mail1)
	rows := outboxDump(t, e)
	if len(rows) != 2 {
		t.Fatalf("%d rows in the outbox, want 2", len(rows))
	}
	for _, r := range rows {
		if s := firstIn(string(r.all), janMail, mail1, "example.be", "activate", "Subject"); s != "" {
			t.Errorf("outbox row %d holds %q in clear", r.id, s)
		}
		if _, err := e.p.keys.unseal(mailPurpose, r.citizenID+1, r.sealed); err == nil {
			t.Errorf("outbox row %d opens for another citizen", r.id)
		}
		if _, err := e.p.keys.openLetter(r.citizenID, r.sealed); err == nil {
			t.Errorf("outbox row %d opens as a letter", r.id)
		}
	}
	srv.setFault(faultNone)
	e.clock.add(retryWait(1))
	if n := e.drainMail(); n != 2 {
		t.Fatalf("%d mails sent, want 2", n)
	}
	mails, _ := srv.received()
	link := activationLinkRE.FindStringSubmatch(readMailQueuedAt(t, e, mails[0], janMail,
		e.p.cats["nl"].T("mail.activation.subject"), queued).html)
	codes := readMailQueuedAt(t, e, mails[1], mail1, e.p.cats["nl"].T("mail.token.subject"), queued).codes(t)
	if link == nil || len(codes) != CodeCount {
		t.Fatalf("mails sent: link %v, %d codes", link, len(codes))
	}
	secret := link[1][strings.LastIndex(link[1], "/")+1:]
	secret, _, _ = strings.Cut(secret, "?")
	for _, r := range rows {
		if bytes.Contains(r.all, []byte(secret)) {
			t.Errorf("outbox row %d held the activation link in clear", r.id)
		}
		for p, c := range codes {
			if bytes.Contains(r.all, []byte(c)) {
				t.Errorf("outbox row %d held code %d in clear", r.id, p)
			}
		}
	}
}

// outboxRow is one row of the outbox, every column.
type outboxRow struct {
	id, citizenID int64
	sealed        []byte
	all           []byte // every column, as text or bytes
}

func outboxDump(t *testing.T, e *env) []outboxRow {
	t.Helper()
	rows, err := e.p.db.QueryContext(context.Background(), `SELECT id, citizen_id, sealed, created_at, attempts, next_at,
		lease_until, last_error, failed_at FROM outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		var created, attempts, next, lease, failed int64
		var lastError string
		if err := rows.Scan(&r.id, &r.citizenID, &r.sealed, &created, &attempts, &next, &lease, &lastError, &failed); err != nil {
			t.Fatal(err)
		}
		r.all = fmt.Appendf(append([]byte(nil), r.sealed...), "|%d|%d|%d|%d|%d|%d|%s|%d",
			r.id, r.citizenID, created, attempts, next, lease, lastError, failed)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// Two instances sending one outbox at once, their workers and the
// requests that queued the mails, send each mail once.
func TestClusterMailSentOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		srv := newSMTPServer(t, "", "")
		e, ps := newCluster(t, dsn, func(c *Config) { c.SMTP = &SMTP{Addr: srv.addr(), From: smtpFrom} })
		const n = 20
		ids := queueMails(t, e.p, n)
		ctx := context.Background()
		var wg sync.WaitGroup
		for i := range 4 {
			wg.Go(func() {
				if _, err := ps[i%2].drainOutbox(ctx); err != nil {
					t.Errorf("a round at instance %d: %v", i%2, err)
				}
			})
		}
		wg.Go(func() {
			for _, id := range ids {
				ps[1].mailNow(ctx, id)
			}
		})
		wg.Wait()
		mails, _ := srv.received()
		got := map[string]int{}
		for _, m := range mails {
			got[strings.Join(m.to, ",")]++
		}
		for i := range n {
			if to := fmt.Sprintf("citizen%d@example.be", i); got[to] != 1 {
				t.Errorf("%s received %d times, want once", to, got[to])
			}
		}
		if len(mails) != n {
			t.Errorf("%d mails sent, want %d", len(mails), n)
		}
		e.countRows(map[string]int{"outbox": 0})
	})
}

// A mail whose sender died mid-exchange (claimed, never sent) is sent by
// another instance once the lease ends, not before.
func TestClusterMailLeaseRecovers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, dsn string) {
		srv := newSMTPServer(t, "", "")
		e, ps := newCluster(t, dsn, func(c *Config) { c.SMTP = &SMTP{Addr: srv.addr(), From: smtpFrom} })
		queueMails(t, e.p, 1)
		if r, err := ps[0].claimQueued(context.Background(), mailQueue, 0, 0); r == nil || err != nil {
			t.Fatalf("claim: %v", err)
		} // and the instance dies
		if n, _ := ps[1].drainOutbox(context.Background()); n != 0 {
			t.Fatal("a mail under lease was sent by another instance")
		}
		e.clock.add(letterLease)
		if n, err := ps[1].drainOutbox(context.Background()); n != 1 || err != nil {
			t.Fatalf("after the lease: %d mails sent (%v), want 1", n, err)
		}
		onlyMail(t, srv)
		e.countRows(map[string]int{"outbox": 0})
	})
}
