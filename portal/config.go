package portal

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/verify"
)

// DefaultAgentPort is the port the eidbridge agent listens on.
const DefaultAgentPort = 51950

// DefaultDownloads is the project's releases page: the Windows installer,
// the Linux packages and the macOS programs.
const DefaultDownloads = "https://github.com/eidbridge/eidbridge/releases"

// Config configures a Portal. DataDir, Origin and Roots are required.
type Config struct {
	DataDir string // SQLite database, code key and, by default, the outbox
	// Database is a postgres:// URL shared by every instance; empty: the
	// SQLite database in DataDir (one instance).
	Database string
	// Origin is the portal's origin as the browser shows it: tokens must
	// be signed for it, and session cookies are Secure when it is https.
	Origin string
	// Roots are the trusted eID root CAs; Intermediates the issuing CAs
	// (Citizen CA...), trusted only through Roots. See LoadTrust.
	Roots, Intermediates *x509.CertPool
	Revocation           verify.RevocationChecker // nil: no OCSP/CRL check

	AgentPort int // DefaultAgentPort when zero
	// Mailbox serves the demo's mailbox page, which shows everybody's
	// mail, to clients on this machine. New refuses it unless the portal
	// runs on loopback without an SMTP server: a demo.
	Mailbox bool
	// TrustedProxies are the reverse proxies in front of the portal:
	// only a request from one of them has its client taken from
	// X-Forwarded-For (the right-most address that is not a proxy).
	TrustedProxies []netip.Prefix
	// Downloads is where citizens get eidbridge, shown on the install
	// help page; DefaultDownloads when empty.
	Downloads string
	Outbox    string // DataDir/outbox when empty
	SMTP      *SMTP  // nil: e-mail goes to the outbox and the mailbox page

	MaxLoginFailures int           // wrong passwords/codes before a lock; 5
	LockDuration     time.Duration // 15 minutes
	LoginRate        float64       // login posts per second per client IP; 1
	LoginBurst       int           // 10
	SweepInterval    time.Duration // token sweep period; 1 hour, <0 disables
	LetterInterval   time.Duration // how often the letter and mail queues are drained; 5 s, <0 disables
	ActivationTTL    time.Duration // counter activation link; 14 days
	KeyPeriod        time.Duration // how long an ID-token signing key signs; 7 days

	Clock  func() time.Time // time.Now when nil
	Logger *slog.Logger     // discards when nil
}

// SMTP is an outgoing mail server. Auth is PLAIN when Username is set
// (net/smtp refuses it without TLS except to localhost).
type SMTP struct {
	Addr               string // host:port
	From               string
	Username, Password string
	// TLS says whether mail may go out when the server offers no
	// STARTTLS. The mails carry token codes and activation links.
	TLS SMTPTLS
}

// SMTPTLS is the STARTTLS policy. It is a flag.Value: auto, require or
// opportunistic.
type SMTPTLS int

const (
	// SMTPTLSAuto requires STARTTLS unless Addr's host is localhost or a
	// loopback IP (a relay on the same machine); no name is resolved.
	SMTPTLSAuto SMTPTLS = iota
	// SMTPTLSRequire refuses to send unless the server offers STARTTLS.
	SMTPTLSRequire
	// SMTPTLSOpportunistic uses STARTTLS when offered. Whoever sits
	// between the portal and the server can remove the offer and read
	// the mail: only for a trusted network.
	SMTPTLSOpportunistic
)

var smtpTLSNames = []string{"auto", "require", "opportunistic"}

func (t SMTPTLS) String() string {
	if t < 0 || int(t) >= len(smtpTLSNames) {
		return fmt.Sprintf("SMTPTLS(%d)", int(t))
	}
	return smtpTLSNames[t]
}

// Set parses auto, require or opportunistic.
func (t *SMTPTLS) Set(s string) error {
	i := slices.Index(smtpTLSNames, s)
	if i < 0 {
		return fmt.Errorf("SMTP TLS policy %q: want one of %s", s, strings.Join(smtpTLSNames, ", "))
	}
	*t = SMTPTLS(i)
	return nil
}

// required says whether mail to host must go over STARTTLS.
func (t SMTPTLS) required(host string) bool {
	return t == SMTPTLSRequire || t == SMTPTLSAuto && !loopbackHost(host)
}

// loopbackHost reports whether host names this machine. A variable so
// that tests, whose servers are all on 127.0.0.1, can stand for a remote
// one.
var loopbackHost = func(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c Config) withDefaults() (Config, error) {
	if c.DataDir == "" {
		return c, errors.New("portal: Config.DataDir is required")
	}
	if c.Roots == nil {
		return c, errors.New("portal: Config.Roots is required: without trusted CAs no eID proves anything")
	}
	origin, err := verify.NormalizeOrigin(c.Origin)
	if err != nil {
		return c, fmt.Errorf("portal: Config.Origin: %w", err)
	}
	c.Origin = origin
	setDef(&c.AgentPort, DefaultAgentPort)
	setDef(&c.MaxLoginFailures, 5)
	setDef(&c.LoginBurst, 10)
	setDef(&c.LockDuration, 15*time.Minute)
	setDef(&c.SweepInterval, time.Hour)
	setDef(&c.LetterInterval, letterPoll)
	setDef(&c.ActivationTTL, 14*24*time.Hour)
	if c.LoginRate <= 0 {
		c.LoginRate = 1
	}
	if c.SMTP != nil && (c.SMTP.TLS < SMTPTLSAuto || c.SMTP.TLS > SMTPTLSOpportunistic) {
		return c, fmt.Errorf("portal: Config.SMTP.TLS: unknown policy %d", int(c.SMTP.TLS))
	}
	if c.Mailbox && (c.SMTP != nil || !loopbackOrigin(c.Origin)) {
		return c, errors.New("portal: the mailbox page shows everybody's codes: it serves only the demo, " +
			"on a loopback origin and without an SMTP server")
	}
	if c.Outbox == "" {
		c.Outbox = filepath.Join(c.DataDir, "outbox")
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

func setDef[T int | time.Duration](v *T, d T) {
	if *v == 0 {
		*v = d
	}
}

// secure says whether the portal is served over https.
// loopbackOrigin: the origin's host is this machine.
func loopbackOrigin(origin string) bool {
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || (ip != nil && ip.IsLoopback())
}

func (c Config) secure() bool {
	u, err := url.Parse(c.Origin)
	return err == nil && u.Scheme == "https"
}

// LoadTrust reads PEM files of CA certificates: self-signed ones become
// trust anchors, the others intermediates (used to build paths only).
func LoadTrust(paths ...string) (roots, intermediates *x509.CertPool, err error) {
	roots, intermediates = x509.NewCertPool(), x509.NewCertPool()
	n := 0
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, nil, fmt.Errorf("trust: %w", err)
		}
		for blk, rest := pem.Decode(b); blk != nil; blk, rest = pem.Decode(rest) {
			if blk.Type != "CERTIFICATE" {
				continue
			}
			cert, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, nil, fmt.Errorf("trust %s: %w", p, err)
			}
			if cert.CheckSignatureFrom(cert) == nil {
				roots.AddCert(cert)
				n++
			} else {
				intermediates.AddCert(cert)
			}
		}
	}
	if n == 0 {
		return nil, nil, errors.New("trust: no self-signed root certificate in the given files")
	}
	return roots, intermediates, nil
}
