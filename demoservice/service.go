// Package demoservice is a small government service that logs citizens
// in through the portal's OpenID Connect provider: a relying party as a
// federal service would write it, for the demo and as an example. It
// keeps nothing but logins in progress and sessions, in memory.
package demoservice

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Name is the service's name, the same in every language (as federal
// brands such as MyMinfin are): the portal shows it on its login page.
const Name = "MyDemo"

// The portal's authentication context classes: how the citizen logged in.
const (
	ACRToken = "urn:eidbridge:acr:token:substantial"
	ACREID   = "urn:eidbridge:acr:eid:high"
)

// Config is what the service needs to know.
type Config struct {
	Issuer       string // the provider's issuer, exactly as its discovery document says
	ClientID     string
	ClientSecret string       // the service is a confidential client (client_secret_basic)
	Origin       string       // the service's own origin: http://127.0.0.1:8444
	Logger       *slog.Logger // default: slog.Default()
	HTTPClient   *http.Client // to reach the provider; default: one with a 15 s timeout
}

// Service is the service's web application, an http.Handler.
type Service struct {
	cfg      Config
	log      *slog.Logger
	op       *provider
	logins   *store[pendingLogin]
	sessions *store[session]
	cats     map[string]*catalog
	mux      *http.ServeMux
	now      func() time.Time
}

const (
	maxLogins   = 1000
	loginTTL    = 10 * time.Minute
	maxSessions = 1000
	sessionTTL  = time.Hour
)

// New checks cfg and builds the service. It does not contact the
// provider: that happens at the first login, so that the service may
// start before the portal.
func New(cfg Config) (*Service, error) {
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("demoservice: %w", err)
	}
	cfg.Origin = strings.TrimSuffix(cfg.Origin, "/")
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 15 * time.Second}
	}
	cats, err := loadCatalogs()
	if err != nil {
		return nil, fmt.Errorf("demoservice: %w", err)
	}
	s := &Service{cfg: cfg, log: cfg.Logger.With("service", "demoservice"), cats: cats, now: time.Now}
	s.op = newProvider(cfg, s.log, s.clock)
	s.logins = newStore[pendingLogin](maxLogins, loginTTL, s.clock)
	s.sessions = newStore[session](maxSessions, sessionTTL, s.clock)
	s.routes()
	return s, nil
}

// clock lets tests move time: the stores and the provider read it through s.now.
func (s *Service) clock() time.Time { return s.now() }

func (c Config) check() error {
	if err := checkBase("Issuer", c.Issuer, true); err != nil {
		return err
	}
	if err := checkBase("Origin", c.Origin, false); err != nil {
		return err
	}
	if c.ClientID == "" {
		return errors.New("ClientID is empty")
	}
	if c.ClientSecret == "" {
		return errors.New("ClientSecret is empty: the service is a confidential client")
	}
	return nil
}

// checkBase accepts an absolute https URL, or http on loopback (the demo),
// without query or fragment; a path only where withPath.
func checkBase(name, raw string, withPath bool) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("%s %q: %w", name, raw, err)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return fmt.Errorf("%s %q: want scheme://host[:port], without user, query or fragment", name, raw)
	}
	if !withPath && strings.TrimSuffix(u.Path, "/") != "" {
		return fmt.Errorf("%s %q: an origin has no path", name, raw)
	}
	switch {
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback(u.Hostname()):
	default:
		return fmt.Errorf("%s %q: want https, or http on loopback (127.0.0.1, ::1, localhost)", name, raw)
	}
	return nil
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || (ip != nil && ip.IsLoopback())
}

func (s *Service) secure() bool { return strings.HasPrefix(s.cfg.Origin, "https:") }

func (s *Service) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.home)
	m.HandleFunc("GET /login", s.login)
	m.HandleFunc("GET /callback", s.callback)
	m.HandleFunc("POST /logout", s.logout)
	m.HandleFunc("GET /static/style.css", serveStyle)
	m.HandleFunc("/", s.notFound)
	s.mux = m
}

// ServeHTTP serves the service's pages, each with its security headers.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.headers(w.Header())
	s.mux.ServeHTTP(w, r)
}
