package portal

import (
	"encoding/base64"
	"io"
	"net"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpFault is how the test SMTP server misbehaves.
type smtpFault int

const (
	faultNone       smtpFault = iota
	faultRcpt                 // 550 5.1.1 to RCPT TO: no such mailbox
	faultData                 // 554 after the whole message was sent
	faultDrop                 // the connection closes in the middle of DATA
	faultAuth                 // 535 to any credentials
	faultRcptSyntax           // 553 5.1.3 to RCPT TO: address not allowed
	faultRelay                // 550 5.7.1 to RCPT TO: relaying denied (policy)
	faultRcptLater            // 451 4.3.0 to RCPT TO: temporary
	faultStall                // accepts the connection and never says a word
)

// rcptReplies are the RCPT TO faults' replies; like many servers they
// echo the address.
var rcptReplies = map[smtpFault]string{
	faultRcpt:       "550 5.1.1 <%s>: recipient rejected",
	faultRcptSyntax: "553 5.1.3 <%s>: bad address syntax",
	faultRelay:      "550 5.7.1 <%s>: relaying denied",
	faultRcptLater:  "451 4.3.0 <%s>: try again later",
}

// smtpMail is one message the test server accepted.
type smtpMail struct {
	from string
	to   []string
	auth string // "user:password" of the session, "" without AUTH
	data string // dot-unstuffed, CRLF line ends
}

// smtpServer is a minimal SMTP server (RFC 5321) for tests: EHLO/HELO,
// AUTH PLAIN (advertised always, required and checked when user is set),
// MAIL, RCPT, DATA, RSET, NOOP and QUIT. No STARTTLS: net/smtp then
// sends PLAIN credentials only to localhost, 127.0.0.1 or ::1.
type smtpServer struct {
	ln         net.Listener
	user, pass string

	mu       sync.Mutex
	fault    smtpFault
	mails    []smtpMail
	auths    []string // every AUTH PLAIN received, accepted or not
	connects int      // connections accepted
	onData   func()   // when set, runs after a message is read, before its 250
	rcpts    []string // every RCPT TO address received, stalled or not
	// stallRcpt, when set, picks the recipients at whose RCPT TO the
	// server falls silent until the client gives up (a relay checking
	// the recipient's domain, which does not answer).
	stallRcpt func(to string) bool
}

// newSMTPServer listens on 127.0.0.1 until the test ends.
func newSMTPServer(t testing.TB, user, pass string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveSMTP(t, ln, user, pass)
}

// serveSMTP serves ln as newSMTPServer does.
func serveSMTP(t testing.TB, ln net.Listener, user, pass string) *smtpServer {
	s := &smtpServer{ln: ln, user: user, pass: pass}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { s.serve(conn) })
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return s
}

func (s *smtpServer) addr() string         { return s.ln.Addr().String() }
func (s *smtpServer) setFault(f smtpFault) { s.mu.Lock(); s.fault = f; s.mu.Unlock() }

// stallAt makes the server fall silent at RCPT TO for the addresses at
// the given domains (compared without case), or at every address when
// none is given.
func (s *smtpServer) stallAt(domains ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stallRcpt = func(to string) bool {
		_, d, _ := strings.Cut(to, "@")
		return len(domains) == 0 || slices.ContainsFunc(domains, func(x string) bool { return strings.EqualFold(x, d) })
	}
}

// recipients is every RCPT TO address the server received.
func (s *smtpServer) recipients() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rcpts)
}

func (s *smtpServer) received() ([]smtpMail, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMail(nil), s.mails...), append([]string(nil), s.auths...)
}

// smtpSession is one connection's state.
type smtpSession struct {
	c       *textproto.Conn
	auth    string
	mail    *smtpMail // between MAIL FROM and the end of DATA
	greeted bool
}

// connections is how many connections the server accepted.
func (s *smtpServer) connections() int { s.mu.Lock(); defer s.mu.Unlock(); return s.connects }

func (s *smtpServer) serve(conn net.Conn) {
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second)) // never outlive a stuck test
	s.mu.Lock()
	s.connects++
	stall := s.fault == faultStall
	s.mu.Unlock()
	if stall {
		io.Copy(io.Discard, conn) // until the client gives up
		return
	}
	ss := &smtpSession{c: textproto.NewConn(conn)}
	ss.reply(220, "test ESMTP ready")
	for {
		line, err := ss.c.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		if !s.command(ss, strings.ToUpper(verb), arg) {
			return
		}
	}
}

func (ss *smtpSession) reply(code int, text string) { ss.c.PrintfLine("%d %s", code, text) }

// command runs one command; false ends the connection.
func (s *smtpServer) command(ss *smtpSession, verb, arg string) bool {
	s.mu.Lock()
	fault, stallRcpt := s.fault, s.stallRcpt
	if verb == "RCPT" && ss.mail != nil {
		s.rcpts = append(s.rcpts, pathArg(arg, "TO:"))
	}
	s.mu.Unlock()
	switch {
	case verb == "EHLO":
		ss.greeted, ss.mail = true, nil
		ss.c.PrintfLine("250-test greets %s", arg)
		ss.reply(250, "AUTH PLAIN")
	case verb == "HELO":
		ss.greeted, ss.mail = true, nil
		ss.reply(250, "test")
	case verb == "QUIT":
		ss.reply(221, "bye")
		return false
	case verb == "NOOP":
		ss.reply(250, "ok")
	case verb == "RSET":
		ss.mail = nil
		ss.reply(250, "ok")
	case !ss.greeted:
		ss.reply(503, "5.5.1 EHLO first")
	case verb == "AUTH":
		s.authPlain(ss, arg, fault)
	case verb == "MAIL" && s.user != "" && ss.auth == "":
		ss.reply(530, "5.7.0 authentication required")
	case verb == "MAIL":
		ss.mail = &smtpMail{from: pathArg(arg, "FROM:"), auth: ss.auth}
		ss.reply(250, "ok")
	case verb == "RCPT" && ss.mail == nil:
		ss.reply(503, "5.5.1 MAIL first")
	case verb == "RCPT" && stallRcpt != nil && stallRcpt(pathArg(arg, "TO:")):
		io.Copy(io.Discard, ss.c.R) // until the client gives up
		return false
	case verb == "RCPT" && rcptReplies[fault] != "":
		ss.c.PrintfLine(rcptReplies[fault], pathArg(arg, "TO:"))
	case verb == "RCPT":
		ss.mail.to = append(ss.mail.to, pathArg(arg, "TO:"))
		ss.reply(250, "ok")
	case verb == "DATA" && (ss.mail == nil || len(ss.mail.to) == 0):
		ss.reply(503, "5.5.1 RCPT first")
	case verb == "DATA":
		return s.data(ss, fault)
	default:
		ss.reply(502, "5.5.2 not implemented")
	}
	return true
}

// authPlain takes the credentials inline or after a 334 prompt.
func (s *smtpServer) authPlain(ss *smtpSession, arg string, fault smtpFault) {
	mech, resp, _ := strings.Cut(arg, " ")
	if !strings.EqualFold(mech, "PLAIN") {
		ss.reply(504, "5.5.4 only PLAIN")
		return
	}
	if resp == "" {
		ss.reply(334, "")
		resp, _ = ss.c.ReadLine()
	}
	raw, err := base64.StdEncoding.DecodeString(resp)
	parts := strings.Split(string(raw), "\x00") // authzid, user, password
	if err != nil || len(parts) != 3 {
		ss.reply(501, "5.5.2 malformed PLAIN response")
		return
	}
	got := parts[1] + ":" + parts[2]
	s.mu.Lock()
	s.auths = append(s.auths, got)
	s.mu.Unlock()
	if fault == faultAuth || s.user != "" && got != s.user+":"+s.pass {
		ss.reply(535, "5.7.8 authentication failed for "+parts[1]) // echoes the user, as some servers do
		return
	}
	ss.auth = got
	ss.reply(235, "2.7.0 authenticated")
}

// data reads the message up to the lone dot, undoing dot-stuffing.
func (s *smtpServer) data(ss *smtpSession, fault smtpFault) bool {
	ss.reply(354, "end with <CRLF>.<CRLF>")
	var b strings.Builder
	for {
		line, err := ss.c.ReadLine()
		if err != nil || fault == faultDrop {
			return false
		}
		if line == "." {
			break
		}
		b.WriteString(strings.TrimPrefix(line, ".") + "\r\n")
	}
	m := ss.mail
	ss.mail = nil
	if fault == faultData {
		ss.reply(554, "5.6.0 message refused")
		return true
	}
	m.data = b.String()
	s.mu.Lock()
	s.mails = append(s.mails, *m)
	hook := s.onData
	s.mu.Unlock()
	if hook != nil {
		hook()
	}
	ss.reply(250, "2.0.0 queued")
	return true
}

// pathArg is the address in "FROM:<a@b> SIZE=1" (prefix "FROM:").
func pathArg(arg, prefix string) string {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return ""
	}
	path, _, _ := strings.Cut(strings.TrimSpace(arg[len(prefix):]), " ")
	return strings.TrimSuffix(strings.TrimPrefix(path, "<"), ">")
}
