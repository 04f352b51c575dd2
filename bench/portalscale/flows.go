//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/eidbridge/eidbridge/internal/webeidtest"
)

// request is the citizen's online request as the page and the agent
// make it: the page, a challenge, the eID proof; a new citizen then
// chooses an account, a known one has a new token at once (a renewal).
func (b *browser) request(c *citizen) error {
	b.newAddress()
	if _, _, err := b.get("/request"); err != nil {
		return err
	}
	csrf := b.csrf()
	ch, err := b.postJSON("/request/challenge", csrf, nil)
	if err != nil {
		return err
	}
	token, err := webeidtest.Token(c.key, c.auth, b.c.origin, ch["nonce"])
	if err != nil {
		return err
	}
	next, err := b.postJSON("/request/verify", csrf, map[string]any{"nonce": ch["nonce"],
		"token": json.RawMessage(token), "identity": c.files})
	if err != nil {
		return err
	}
	if next["next"] == "/request/account" {
		if _, _, err := b.get("/request/account"); err != nil {
			return err
		}
		return b.expect("/request/sent")(b.postForm("/request/account", url.Values{"username": {c.username},
			"password": {password}, "password2": {password}, "email": {c.email}}))
	}
	return b.expect("/request/sent")(b.get(next["next"]))
}

// login is a whole login: the page, username and password, the code
// the portal asks for, the citizen's page.
func (b *browser) login(c *citizen) error {
	b.newAddress()
	if _, _, err := b.get("/login"); err != nil {
		return err
	}
	if err := b.expect("/login/code")(b.postForm("/login", url.Values{"username": {c.username}, "password": {password}})); err != nil {
		return err
	}
	m := positionRE.FindStringSubmatch(b.last)
	if m == nil {
		return fmt.Errorf("no code position on the code page")
	}
	pos, _ := strconv.Atoi(m[1])
	return b.expect("/me")(b.postForm("/login/code", url.Values{"code": {c.codes[pos]}}))
}

var positionRE = regexp.MustCompile(`data-position="(\d+)"`)

// expect checks a step ended on page want.
func (b *browser) expect(want string) func(int, string, error) error {
	return func(status int, path string, err error) error {
		switch {
		case err != nil:
			return err
		case status != http.StatusOK || path != want:
			return fmt.Errorf("ended on %s (%d), want %s: %.300s", path, status, want, b.last)
		}
		return nil
	}
}

var codeRE = regexp.MustCompile(`<td class="code" data-position="(\d+)">([A-Z]+)</td>`)

// readCodes reads the newest token card mailed to each citizen from the
// outbox directory (the portal runs without SMTP).
func readCodes(outbox string, cs []*citizen) error {
	names, err := filepath.Glob(filepath.Join(outbox, "*.eml"))
	if err != nil {
		return err
	}
	slices.Sort(names)
	byMail := map[string]*citizen{}
	for _, c := range cs {
		byMail[c.email] = c
	}
	for _, name := range names {
		to, html, err := readMail(name)
		if err != nil {
			return err
		}
		if c := byMail[to]; c != nil && codeRE.MatchString(html) {
			c.codes = map[int]string{}
			for _, m := range codeRE.FindAllStringSubmatch(html, -1) {
				n, _ := strconv.Atoi(m[1])
				c.codes[n] = m[2]
			}
		}
	}
	for _, c := range cs {
		if len(c.codes) != 24 {
			return fmt.Errorf("no token card with 24 codes for %s in %s", c.email, outbox)
		}
	}
	return nil
}

func readMail(name string) (to, html string, err error) {
	f, err := os.Open(name)
	if err != nil {
		return "", "", err
	}
	defer f.Close()
	m, err := mail.ReadMessage(f)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", name, err)
	}
	var body bytes.Buffer
	if _, err := body.ReadFrom(quotedprintable.NewReader(m.Body)); err != nil {
		return "", "", fmt.Errorf("%s: %w", name, err)
	}
	to = strings.TrimSpace(m.Header.Get("To"))
	if a, err := mail.ParseAddress(to); err == nil {
		to = a.Address
	}
	return to, body.String(), nil
}
