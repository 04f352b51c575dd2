package portal

import (
	"bytes"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/verify"
)

// eidProof is what the page would post; tests alter it to attack.
type eidProof struct {
	csrf, nonce string
	token       []byte
	identity    verify.IdentityData
}

// challenge opens the request page and gets a nonce, as the script does.
func (b *browser) challenge() (csrf, nonce string) {
	b.t.Helper()
	b.get("/request")
	csrf = b.csrf()
	r, m := b.postJSON("/request/challenge", csrf, nil)
	if r.status != 200 || m["nonce"] == "" {
		b.t.Fatalf("challenge: %d %s", r.status, r.body)
	}
	return csrf, m["nonce"]
}

// proof is a correct proof by card c for a fresh challenge.
func (b *browser) proof(c *card) eidProof {
	csrf, nonce := b.challenge()
	return eidProof{csrf: csrf, nonce: nonce, token: c.token(b.t, b.e.srv.URL, nonce), identity: c.files}
}

// send posts a proof; it returns the status and the JSON answer.
func (b *browser) send(p eidProof) (int, map[string]string) {
	r, m := b.sendResp(p)
	return r.status, m
}

// sendResp is send with the whole response.
func (b *browser) sendResp(p eidProof) (resp, map[string]string) {
	return b.postJSON("/request/verify", p.csrf, map[string]any{"nonce": p.nonce, "token": rawJSON(p.token), "identity": p.identity})
}

type rawJSON []byte

func (r rawJSON) MarshalJSON() ([]byte, error) { return r, nil }

// requestOnline runs the online request with card c; a first request
// creates the account (username, password, email).
func (b *browser) requestOnline(c *card, username, password, email string) resp {
	b.t.Helper()
	status, m := b.send(b.proof(c))
	if status != 200 {
		b.t.Fatalf("verify: %d %v", status, m)
	}
	if m["next"] == "/request/account" {
		return b.submit("/request/account", "/request/account", url.Values{"username": {username},
			"password": {password}, "password2": {password}, "email": {email}})
	}
	return b.get(m["next"])
}

// login runs both steps; codes are the token's, position 1 first. It
// returns the last response and the position asked.
func (b *browser) login(username, password string, code func(pos int) string) (resp, int) {
	b.t.Helper()
	r := b.submit("/login", "/login", url.Values{"username": {username}, "password": {password}})
	if r.path != "/login/code" {
		return r, 0
	}
	pos := position(b.t, r.body)
	return b.post("/login/code", url.Values{"csrf": {b.csrf()}, "code": {code(pos)}}), pos
}

var positionRE = regexp.MustCompile(`data-position="(\d+)"`)

func position(t testing.TB, body string) int {
	t.Helper()
	m := positionRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no code position in page:\n%s", body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// outMsg is one outbox message, body decoded.
type outMsg struct{ name, kind, to, subject, html string }

func (e *env) outbox() []outMsg {
	e.t.Helper()
	ents, _ := os.ReadDir(e.p.cfg.Outbox)
	var msgs []outMsg
	for _, ent := range ents {
		if !strings.HasSuffix(ent.Name(), ".eml") {
			continue
		}
		f, err := os.Open(filepath.Join(e.p.cfg.Outbox, ent.Name()))
		if err != nil {
			e.t.Fatal(err)
		}
		m, err := mail.ReadMessage(f)
		if err != nil {
			e.t.Fatalf("%s: %v", ent.Name(), err)
		}
		body := new(bytes.Buffer)
		_, err = body.ReadFrom(quotedprintable.NewReader(m.Body))
		f.Close()
		if err != nil {
			e.t.Fatal(err)
		}
		dec := new(mime.WordDecoder)
		subj, _ := dec.DecodeHeader(m.Header.Get("Subject"))
		to := m.Header.Get("To")
		if to == "" {
			to, _ = dec.DecodeHeader(m.Header.Get("X-Portal-Recipient"))
		}
		msgs = append(msgs, outMsg{name: ent.Name(), kind: m.Header.Get("X-Portal-Kind"), to: to, subject: subj, html: body.String()})
	}
	sort.Slice(msgs, func(i, j int) bool { return msgs[i].name < msgs[j].name })
	return msgs
}

// last is the newest outbox message.
func (e *env) last() outMsg {
	e.t.Helper()
	m := e.outbox()
	if len(m) == 0 {
		e.t.Fatal("outbox is empty")
	}
	return m[len(m)-1]
}

var (
	codeRE   = regexp.MustCompile(`<td class="code" data-position="(\d+)">([A-Z]+)</td>`)
	serialRE = regexp.MustCompile(`<span class="serial">([0-9-]+)</span>`)
)

// codes reads the token card: position → code.
func (m outMsg) codes(t testing.TB) map[int]string {
	t.Helper()
	codes := map[int]string{}
	for _, c := range codeRE.FindAllStringSubmatch(m.html, -1) {
		n, _ := strconv.Atoi(c[1])
		codes[n] = c[2]
	}
	return codes
}

func (m outMsg) serial(t testing.TB) string {
	t.Helper()
	s := serialRE.FindStringSubmatch(m.html)
	if s == nil {
		t.Fatalf("no serial in %s", m.name)
	}
	return s[1]
}
