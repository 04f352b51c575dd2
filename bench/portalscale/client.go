//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
)

// cluster is the instances as a round-robin load balancer shows them:
// one origin, every request to the next instance, no stickiness.
type cluster struct {
	origin string // what the browser sees, and the Host every instance expects
	addrs  []string
	next   atomic.Uint64
	ips    atomic.Uint32
	tr     *http.Transport
}

func newCluster(origin string, addrs []string) *cluster {
	return &cluster{origin: origin, addrs: addrs,
		tr: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
}

// browser is one citizen's browser; each operation comes from an
// address of its own (X-Forwarded-For, the instances trust the loopback
// proxy), as citizens do, so the per-address limits stay out of the way.
type browser struct {
	c    *cluster
	http *http.Client
	ip   string
	last string
}

func (c *cluster) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{c: c, http: &http.Client{Transport: c.tr, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// newAddress starts an operation from the next client address.
func (b *browser) newAddress() {
	n := b.c.ips.Add(1)
	b.ip = fmt.Sprintf("10.%d.%d.%d", n>>16&0xff, n>>8&0xff, n&0xff)
}

// do sends one request to the next instance and follows redirects, each
// to the next instance too; it returns the final path and body.
func (b *browser) do(method, path, ctype string, body []byte, csrf string) (int, string, error) {
	for range 5 {
		i := b.c.next.Add(1) % uint64(len(b.c.addrs))
		req, err := http.NewRequest(method, "http://"+b.c.addrs[i]+path, bytes.NewReader(body))
		if err != nil {
			return 0, "", err
		}
		req.Host = strings.TrimPrefix(b.c.origin, "http://")
		req.Header.Set("X-Forwarded-For", b.ip)
		if method == http.MethodPost {
			req.Header.Set("Origin", b.c.origin)
			req.Header.Set("Content-Type", ctype)
		}
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		resp, err := b.http.Do(req)
		if err != nil {
			return 0, "", fmt.Errorf("%s %s: %w", method, path, err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return 0, "", fmt.Errorf("%s %s: %w", method, path, err)
		}
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound || loc == "" {
			b.last = string(data)
			return resp.StatusCode, path, nil
		}
		u, err := url.Parse(loc)
		if err != nil {
			return 0, "", fmt.Errorf("%s %s: redirect %q: %w", method, path, loc, err)
		}
		method, path, body, csrf = http.MethodGet, u.RequestURI(), nil, ""
	}
	return 0, "", fmt.Errorf("%s %s: too many redirects", method, path)
}

func (b *browser) get(path string) (int, string, error) {
	return b.do(http.MethodGet, path, "", nil, "")
}

func (b *browser) postForm(path string, v url.Values) (int, string, error) {
	v.Set("csrf", b.csrf())
	return b.do(http.MethodPost, path, "application/x-www-form-urlencoded", []byte(v.Encode()), "")
}

// postJSON posts v as the page's script does and decodes the answer.
func (b *browser) postJSON(path, csrf string, v any) (map[string]string, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	status, _, err := b.do(http.MethodPost, path, "application/json", body, csrf)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	json.Unmarshal([]byte(b.last), &m)
	if status != http.StatusOK {
		return nil, fmt.Errorf("POST %s: %d %s", path, status, b.last)
	}
	return m, nil
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"|data-csrf="([^"]+)"`)

// csrf is the token in the last page ("" when it has none: the post is
// then refused, which the operation reports).
func (b *browser) csrf() string {
	m := csrfRE.FindStringSubmatch(b.last)
	if m == nil {
		return ""
	}
	return m[1] + m[2]
}
