package main

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// demoBrowser is what a browser does with the portal's pages: one cookie
// jar, the page's Origin on every post, the page's script's calls.
type demoBrowser struct {
	t    *testing.T
	base string // the portal's origin
	c    *http.Client
	page string // the last HTML page
}

func newDemoBrowser(t *testing.T, base string) *demoBrowser {
	jar, _ := cookiejar.New(nil)
	return &demoBrowser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// do runs req and returns the final path and body.
func (b *demoBrowser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	if req.Method == http.MethodPost {
		req.Header.Set("Origin", b.base)
	}
	r, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer r.Body.Close()
	body, _ := io.ReadAll(r.Body)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		b.page = string(body)
	}
	return r, string(body)
}

func (b *demoBrowser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

// attr is the first group of re in the last page, HTML-unescaped.
func (b *demoBrowser) attr(re string) string {
	b.t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(b.page)
	if m == nil {
		b.t.Fatalf("no %s in the page:\n%s", re, b.page)
	}
	return html.UnescapeString(m[1])
}

func (b *demoBrowser) csrf() string {
	return b.attr(`(?:name="csrf" value|data-csrf)="([^"]+)"`)
}

// submit loads page and posts its form with vals and the page's CSRF
// token to action; it returns the path the browser ends on.
func (b *demoBrowser) submit(page, action string, vals url.Values) (string, string) {
	b.t.Helper()
	b.get(page)
	vals.Set("csrf", b.csrf())
	return b.post(action, vals)
}

func (b *demoBrowser) post(action string, vals url.Values) (string, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+action, strings.NewReader(vals.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r, body := b.do(req)
	return r.Request.URL.Path, body
}

// postJSON is request.js's post(): JSON, the CSRF token in a header.
func (b *demoBrowser) postJSON(path, csrf string, v any) map[string]string {
	b.t.Helper()
	body, _ := json.Marshal(v)
	req, _ := http.NewRequest(http.MethodPost, b.base+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", csrf)
	r, text := b.do(req)
	m := map[string]string{}
	if err := json.Unmarshal([]byte(text), &m); err != nil || r.StatusCode != http.StatusOK {
		b.t.Fatalf("POST %s: %d %s", path, r.StatusCode, text)
	}
	return m
}

// requestWithEID is a click on the request page's button: what
// static/request.js does, step by step. It returns where the page goes.
func (b *demoBrowser) requestWithEID() string {
	b.t.Helper()
	status, m := b.verifyWithEID()
	if status != http.StatusOK || m["next"] == "" {
		b.t.Fatalf("verify: %d %v, want a next page", status, m)
	}
	return m["next"]
}

// officerWithEID is a click on the desk page's button: authenticate only,
// then the officer's verification. It returns where the page goes.
func (b *demoBrowser) officerWithEID() string {
	b.t.Helper()
	agentURL, csrf, nonce := b.challengeOn("/officer")
	res := b.agentCalls(agentURL, map[string]any{"op": "authenticate", "params": map[string]string{"challengeNonce": nonce}})
	return b.postJSON("/officer/verify", csrf, map[string]any{"nonce": nonce, "token": res[0]})["next"]
}

// challengeOn opens page, which holds the eID button, and asks the
// portal for a challenge, as the button's script does.
func (b *demoBrowser) challengeOn(page string) (agentURL, csrf, nonce string) {
	b.t.Helper()
	b.get(page)
	agentURL, csrf = b.attr(`data-agent="([^"]+)"`), b.attr(`data-csrf="([^"]+)"`)
	return agentURL, csrf, b.postJSON("/request/challenge", csrf, nil)["nonce"]
}

// agentCalls opens the websocket with the page's Origin, sends calls in
// order with ids 1, 2..., skips pushed events, and returns each result.
func (b *demoBrowser) agentCalls(agentURL string, calls ...map[string]any) []json.RawMessage {
	b.t.Helper()
	ws, _, err := websocket.DefaultDialer.Dial(agentURL, http.Header{"Origin": {b.base}})
	if err != nil {
		b.t.Fatalf("connecting to the agent at %s: %v", agentURL, err)
	}
	defer ws.Close()
	ws.SetReadDeadline(time.Now().Add(15 * time.Second))
	var results []json.RawMessage
	for i, c := range calls {
		id := strconv.Itoa(i + 1)
		c["id"] = id
		if err := ws.WriteJSON(c); err != nil {
			b.t.Fatal(err)
		}
		for {
			var m struct {
				ID     *string         `json:"id"`
				Result json.RawMessage `json:"result"`
				Error  json.RawMessage `json:"error"`
			}
			if err := ws.ReadJSON(&m); err != nil {
				b.t.Fatalf("agent %s: %v", c["op"], err)
			}
			if m.ID == nil || *m.ID != id {
				continue // an event
			}
			if m.Error != nil {
				b.t.Fatalf("agent %s: %s", c["op"], m.Error)
			}
			results = append(results, m.Result)
			break
		}
	}
	return results
}
