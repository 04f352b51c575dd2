package portal

import (
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"sync"

	"github.com/eidbridge/eidbridge/portal/idp"
	"github.com/eidbridge/eidbridge/portal/store"
	"github.com/eidbridge/eidbridge/verify"
	"github.com/eidbridge/eidbridge/webext"
)

// Portal is the web application; it is an http.Handler. Close it to stop
// the sweeper and the letter worker and close the database.
type Portal struct {
	cfg        Config
	log        *slog.Logger
	db         *store.DB
	keys       codeHasher
	validator  *verify.Validator
	nonces     *dbNonces
	sess       *sessions
	limit      *limiter
	challenges *limiter // eID challenges per client
	hashes     *hashGate
	idp        *idp.Provider // the OpenID Connect provider for services
	gate       *mailGate
	cats       map[string]*catalog
	pages      map[string]*template.Template
	mails      map[string]*template.Template
	handler    http.Handler
	checkHash  func(phc, pw string) (bool, error) // checkPassword; tests count the real checks

	stop      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// New opens (or creates) the portal's data in cfg.DataDir and returns the
// portal, ready to serve.
func New(cfg Config) (*Portal, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	p := &Portal{cfg: cfg, log: cfg.Logger, stop: make(chan struct{}), checkHash: checkPassword}
	if p.validator, err = verify.NewValidator(verify.Config{Origin: cfg.Origin, Roots: cfg.Roots,
		Intermediates: cfg.Intermediates, Now: cfg.Clock, Revocation: cfg.Revocation}); err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	p.challenges = newLimiter(challengeRate, challengeBurst, cfg.Clock, p.clientIP)
	p.hashes = newHashGate(hashesPerNetwork, hashesQueued, p.clientIP)
	p.limit = newLimiter(cfg.LoginRate, cfg.LoginBurst, cfg.Clock, p.clientIP)
	p.gate = newMailGate()
	if p.cats, err = loadCatalogs(); err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	if p.pages, err = parsePages(); err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	if p.mails, err = parseMails(); err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("portal: data directory: %w", err)
	}
	if p.keys, err = loadKey(cfg.DataDir); err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	if err := p.openShared(context.Background()); err != nil {
		return nil, fmt.Errorf("portal: %w", err)
	}
	if p.idp, err = p.newProvider(); err != nil {
		p.db.Close()
		return nil, fmt.Errorf("portal: %w", err)
	}
	p.handler = p.securityHeaders(p.hostCheck(p.routes()))
	if cfg.SweepInterval > 0 {
		p.wg.Go(func() { p.sweeper(p.stop) })
	}
	if cfg.LetterInterval > 0 {
		p.wg.Go(func() { p.letterWorker(p.stop, cfg.LetterInterval) })
		// The outbox's sender, on the letters' schedule (a queue like theirs).
		p.wg.Go(func() { p.mailWorker(p.stop, cfg.LetterInterval) })
	}
	return p, nil
}

// openShared opens the database and what every instance shares through
// it: sessions, challenge nonces, the CSRF key.
func (p *Portal) openShared(ctx context.Context) error {
	var err error
	if p.db, err = openDB(ctx, p.cfg.Database, p.cfg.DataDir); err != nil {
		return err
	}
	key, err := sharedKey(ctx, p.db, "csrf")
	if err == nil {
		err = checkCodeKey(ctx, p.db, p.keys)
	}
	if err != nil {
		p.db.Close()
		return err
	}
	p.nonces = &dbNonces{db: p.db, now: p.cfg.Clock, perSession: maxSessionNonces}
	p.sess = newSessions(p.db, key, p.cfg.Clock, p.cfg.secure(),
		func(why string) { p.log.Warn("evicted a session", "reason", why) },
		func(what string, err error) { p.log.Error(what, "err", err) }, p.clientIP)
	return nil
}

// Close stops the sweeper and closes the database.
func (p *Portal) Close() error {
	var err error
	p.closeOnce.Do(func() {
		close(p.stop)
		p.wg.Wait()
		err = p.db.Close()
	})
	return err
}

// Origin is the normalised origin the portal serves.
func (p *Portal) Origin() string { return p.cfg.Origin }

func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.handler.ServeHTTP(w, r) }

func (p *Portal) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	// The project's JavaScript client, which request.js imports.
	client, _ := fs.Sub(webext.ClientFS, "client")
	mux.Handle("GET /static/eidbridge/", http.StripPrefix("/static/eidbridge/", http.FileServerFS(client)))
	mux.HandleFunc("GET /{$}", p.get(p.handleHome))
	mux.HandleFunc("GET /request", p.get(p.handleRequest))
	mux.HandleFunc("GET /help/install", p.get(p.handleInstallHelp))
	mux.HandleFunc("POST /request/challenge", p.post(p.handleChallenge))
	mux.HandleFunc("POST /request/verify", p.post(p.handleVerify))
	mux.HandleFunc("GET /request/account", p.get(p.handleAccount))
	mux.HandleFunc("POST /request/account", p.post(p.handleAccountPost))
	mux.HandleFunc("GET /request/sent", p.get(p.handleSent))
	mux.HandleFunc("GET /login", p.get(p.handleLogin))
	mux.HandleFunc("POST /login", p.post(p.handleLoginPost))
	mux.HandleFunc("GET /login/code", p.get(p.handleCode))
	mux.HandleFunc("POST /login/code", p.post(p.handleCodePost))
	mux.HandleFunc("POST /logout", p.post(p.handleLogout))
	mux.HandleFunc("POST /logout/everywhere", p.post(p.handleLogoutAll))
	mux.HandleFunc("GET /me", p.get(p.handleMe))
	mux.HandleFunc("GET /officer", p.get(p.handleOfficer))
	mux.HandleFunc("POST /officer/verify", p.post(p.handleOfficerVerify))
	mux.HandleFunc("POST /officer/register", p.post(p.handleOfficerRegister))
	mux.HandleFunc("POST /officer/logout", p.post(p.handleOfficerLogout))
	mux.HandleFunc("GET /activate/{secret}", p.get(p.handleActivate))
	mux.HandleFunc("POST /activate/{secret}", p.post(p.handleActivatePost))
	mux.HandleFunc("GET /mailbox", p.get(p.handleMailbox))
	mux.HandleFunc("GET /mailbox/{name}", p.get(p.handleMailboxItem))
	p.connectRoutes(mux)
	mux.HandleFunc("/", p.get(func(w http.ResponseWriter, r *http.Request, ss *session) {
		p.fail(w, r, ss, http.StatusNotFound, "err.notfound")
	}))
	return mux
}

// The challenge limits: a few nonces a session, and per client a burst
// of 10, then one every 5 s (a citizen needs one a click).
const (
	maxSessionNonces = 4
	challengeRate    = 0.2
	challengeBurst   = 10
)

// Password checks running or queued: per network, and in all (a few
// times the hash slots: a check takes tens of milliseconds).
const (
	hashesPerNetwork = 2
	hashesQueued     = 64
)

type sessionHandler func(http.ResponseWriter, *http.Request, *session)

// get gives a page its session, starting an anonymous one when needed
// (every page may hold a form, and every form a CSRF token); an anonymous
// session costs the server nothing.
func (p *Portal) get(h sessionHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ss, err := p.sess.load(r)
		if err != nil {
			p.unavailable(w, r, err)
			return
		}
		if ss == nil {
			ss = p.sess.start(w, r)
		}
		if _, err := p.current(w, r, ss); err != nil {
			p.unavailable(w, r, err)
			return
		}
		h(w, r, ss)
	}
}

// post requires a live session, a matching CSRF token (form field or
// header) and, when the browser sends one, this site's Origin.
func (p *Portal) post(h sessionHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
		ss, err := p.sess.load(r)
		switch {
		case err != nil:
			p.unavailable(w, r, err)
		case ss == nil:
			p.event(r, evRefused, "reason", "no session")
			p.refuse(w, r, http.StatusForbidden, "err.session")
		case !p.sameOrigin(r) || !ss.csrfOK(r):
			p.event(r, evRefused, "reason", "CSRF token or Origin")
			p.refuse(w, r, http.StatusForbidden, "err.csrf")
		default:
			switch ok, err := p.current(w, r, ss); {
			case err != nil:
				p.unavailable(w, r, err)
			case !ok:
				p.refuse(w, r, http.StatusForbidden, "err.session")
			default:
				h(w, r, ss)
			}
		}
	}
}

// refuse answers a refused post: JSON for the page's script, else HTML.
func (p *Portal) refuse(w http.ResponseWriter, r *http.Request, status int, key string) {
	if r.Header.Get(csrfHeader) != "" || r.Header.Get("Content-Type") == "application/json" {
		p.jsonError(w, r, status, key)
		return
	}
	p.fail(w, r, nil, status, key)
}
