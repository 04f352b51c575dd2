package portal

import (
	"crypto/tls"
	"errors"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"
)

// smtpTimeout bounds a whole SMTP conversation: the wait of the one page
// per instance that sends its own mail (mailGate), and the part of a
// queued mail's lease (letterLease, far longer) that one exchange uses.
var smtpTimeout = 8 * time.Second

// sendSMTP sends msg to one recipient as smtp.SendMail does, but within
// smtpTimeout (SendMail has no deadline at all).
func sendSMTP(s *SMTP, from, to string, msg []byte) error {
	fail := smtpFailer(s, to)
	c, err := dialSMTP(s, fail)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Mail(from); err != nil {
		return fail("MAIL FROM", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fail("RCPT TO", classifyRcpt(err))
	}
	w, err := c.Data()
	if err != nil {
		return fail("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fail("DATA", err)
	}
	if err := w.Close(); err != nil {
		return fail("end of DATA", err)
	}
	c.Quit() // the message is accepted: a failed QUIT changes nothing
	return nil
}

// dialSMTP connects, greets, switches to TLS when offered and, when a
// username is set, authenticates with PLAIN (which net/smtp allows
// without TLS only to localhost, 127.0.0.1 and ::1). A server offering
// no AUTH then is an error rather than an anonymous send.
func dialSMTP(s *SMTP, fail func(string, error) error) (*smtp.Client, error) {
	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return nil, fail("address", err)
	}
	deadline := time.Now().Add(smtpTimeout)
	conn, err := (&net.Dialer{Deadline: deadline}).Dial("tcp", s.Addr)
	if err != nil {
		return nil, fail("connect", err)
	}
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return nil, fail("greeting", err)
	}
	if step, err := smtpHandshake(c, s, host); err != nil {
		c.Close()
		return nil, fail(step, err)
	}
	return c, nil
}

// errNoStartTLS: the server does not offer STARTTLS (or an attacker on
// the way removed it from the EHLO reply) and s.TLS requires it.
var errNoStartTLS = errors.New("server offers no STARTTLS, and TLS is required (SMTP TLS policy)")

// smtpHandshake says hello, starts TLS when offered (refusing to go on
// without it when the policy says so) and authenticates when a username
// is set; it names the step that failed.
func smtpHandshake(c *smtp.Client, s *SMTP, host string) (string, error) {
	if err := c.Hello("localhost"); err != nil {
		return "EHLO", err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return "STARTTLS", err
		}
	} else if s.TLS.required(host) {
		// Before MAIL FROM and AUTH: nothing goes out in clear.
		return "STARTTLS", errNoStartTLS
	}
	if s.Username == "" {
		return "", nil
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		return "AUTH", errors.New("server offers no AUTH")
	}
	return "AUTH", c.Auth(smtp.PlainAuth("", s.Username, s.Password, host))
}

// smtpError is a failed SMTP step. Servers often echo the recipient or
// the user name in their replies; its text hides them, and the password,
// so that it can be logged.
type smtpError struct {
	step string
	err  error
	hide *strings.Replacer
}

func (e *smtpError) Error() string { return "SMTP " + e.step + ": " + e.hide.Replace(e.err.Error()) }
func (e *smtpError) Unwrap() error { return e.err }

// smtpFailer returns the function that wraps a failed step's error.
func smtpFailer(s *SMTP, to string) func(string, error) error {
	var pairs []string
	for _, kv := range [][2]string{{to, "<recipient>"}, {s.Username, "<user>"}, {s.Password, "<password>"}} {
		if kv[0] != "" {
			pairs = append(pairs, kv[0], kv[1])
		}
	}
	hide := strings.NewReplacer(pairs...)
	return func(step string, err error) error { return &smtpError{step: step, err: err, hide: hide} }
}

// smtpUnreachable reports whether err is a failed connection or a
// timeout, as opposed to a server answering "no": the first says the
// next try would most likely wait and fail the same way.
func smtpUnreachable(err error) bool {
	var se *smtpError
	if !errors.As(err, &se) {
		return false
	}
	var ne net.Error
	return se.step == "connect" || errors.As(se.err, &ne) && ne.Timeout()
}

// stallScope is what a failed exchange says about the next ones.
type stallScope int

const (
	stallNone      stallScope = iota // delivered, or failed without waiting: the next one will not wait
	stallRelay                       // no connection, or a timeout before the recipient was named
	stallRecipient                   // a timeout once RCPT TO was sent
)

// smtpStall sorts err for the breakers (mailGate). Up to MAIL FROM the
// relay has not seen the recipient, so a failure there is the relay's
// own; from RCPT TO on, a relay that checks the recipient or hands the
// message on at once may be waiting on the recipient's domain. The
// exchange has one deadline, so a relay slow at every step may time out
// only at RCPT TO or later: the gate then trips for everyone after a few
// domains.
func smtpStall(err error) stallScope {
	if err == nil || !smtpUnreachable(err) {
		return stallNone
	}
	var se *smtpError
	errors.As(err, &se)
	switch se.step {
	case "RCPT TO", "DATA", "end of DATA":
		return stallRecipient
	}
	return stallRelay
}

// recipientError is a recipient address the mail server will not take:
// RCPT TO answered 550 (no such mailbox), 551 (not local) or 553 (address
// not allowed). Sending to that address again will not help, so the
// queued mail is given up at once (outbox.go); every other failure may
// pass if tried again later. Its text is the server's reply.
type recipientError struct{ err error }

func (e *recipientError) Error() string { return e.err.Error() }
func (e *recipientError) Unwrap() error { return e.err }

// classifyRcpt makes a permanent refusal of the address a
// *recipientError. An enhanced status of class 7 (5.7.x, security or
// policy, as in "550 5.7.1 relaying denied") is left out: then the relay
// refuses the portal, not the address, and the mail may go out once the
// relay's configuration is mended.
func classifyRcpt(err error) error {
	var reply *textproto.Error
	if !errors.As(err, &reply) || strings.HasPrefix(reply.Msg, "5.7.") {
		return err
	}
	switch reply.Code {
	case 550, 551, 553:
		return &recipientError{err}
	}
	return err
}

// recipientRefused reports whether err holds a *recipientError.
func recipientRefused(err error) bool {
	var r *recipientError
	return errors.As(err, &r)
}
