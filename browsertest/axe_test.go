package browsertest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axe-core, the accessibility rules engine the a11y tests run in the
// page, from the npm registry: the tarball is checked against the
// registry's dist.integrity of this version, axe.min.js against its own
// digest (also when read back from the cache). Nothing of it is committed.
const (
	axeVersion   = "4.14.1"
	axeIntegrity = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
	axeSHA256    = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"
	axeTarball   = "https://registry.npmjs.org/axe-core/-/axe-core-" + axeVersion + ".tgz"
)

// axeTags are the rules checked: WCAG 2.0, 2.1 and 2.2, levels A and AA,
// and axe's best practices (unique landmarks, heading order…).
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// needAxe returns axe.min.js. Without it the test fails under
// EIDBRIDGE_PCSC_TESTS=1 (make test) and skips loudly elsewhere.
func needAxe(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() { axeSource, axeErr = loadAxe() })
	if axeErr == nil {
		return axeSource
	}
	msg := fmt.Sprintf("the accessibility tests need axe-core %s from %s: %v", axeVersion, axeTarball, axeErr)
	if os.Getenv("EIDBRIDGE_PCSC_TESTS") == "1" {
		t.Fatal(msg)
	}
	fmt.Fprintln(os.Stderr, "!!! SKIPPING "+msg)
	t.Skip("SKIPPING " + msg)
	return ""
}

// loadAxe reads axe.min.js from the user's cache, or downloads it there.
func loadAxe() (string, error) {
	cache := ""
	if dir, err := os.UserCacheDir(); err == nil {
		cache = filepath.Join(dir, "eidbridge", "axe-core-"+axeVersion+".min.js")
		if b, err := os.ReadFile(cache); err == nil && checkSHA256(b) == nil {
			return string(b), nil
		}
	}
	b, err := downloadAxe()
	if err != nil {
		return "", err
	}
	if cache != "" {
		writeCache(cache, b) // a cache that cannot be written costs a download next time
	}
	return string(b), nil
}

func downloadAxe() ([]byte, error) {
	c := &http.Client{Timeout: time.Minute}
	resp, err := c.Get(axeTarball)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", axeTarball, resp.Status)
	}
	tgz, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, err
	}
	sum := sha512.Sum512(tgz)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != axeIntegrity {
		return nil, fmt.Errorf("the tarball's integrity is %s, want %s", got, axeIntegrity)
	}
	js, err := untarFile(tgz, "package/axe.min.js")
	if err != nil {
		return nil, err
	}
	return js, checkSHA256(js)
}

// untarFile extracts one file of a gzipped tarball.
func untarFile(tgz []byte, name string) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("the tarball has no %s", name)
		}
		if err != nil {
			return nil, err
		}
		if h.Name == name && h.Typeflag == tar.TypeReg {
			return io.ReadAll(io.LimitReader(tr, 16<<20))
		}
	}
}

func checkSHA256(b []byte) error {
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != axeSHA256 {
		return fmt.Errorf("axe.min.js has sha256 %s, want %s", got, axeSHA256)
	}
	return nil
}

// writeCache writes b to path through a temporary file, so that a
// half-written cache is never read.
func writeCache(path string, b []byte) {
	if os.MkdirAll(filepath.Dir(path), 0o755) != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".axe-*")
	if err != nil {
		return
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil && cerr == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

// axeViolation is one failed rule, with the elements that fail it.
type axeViolation struct {
	ID, Impact, Help, HelpURL string
	Nodes                     []struct{ Target, HTML, Summary string }
}

// axeRun is the script that runs the rules of axeTags on the page; the
// page's own scripts are untouched (axe is injected only when missing).
const axeRun = `axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]})
 .then(r => r.violations.map(v => ({ID: v.id, Impact: v.impact || "", Help: v.help, HelpURL: v.helpUrl,
  Nodes: v.nodes.map(n => ({Target: JSON.stringify(n.target), HTML: n.html, Summary: n.failureSummary || ""}))})))`

// axe runs axe-core (source src) on the page and returns the violations.
func (b *browser) axe(src string) []axeViolation {
	b.t.Helper()
	// DevTools evaluates the source itself: the portal's CSP, which
	// refuses eval and inline scripts, does not apply to it.
	if !get(b, "looking for axe-core", chromedp.Evaluate[bool](`typeof axe !== "undefined"`)) {
		b.run("injecting axe-core", chromedp.Evaluate[chromedp.Void](src))
	}
	script := fmt.Sprintf(axeRun, `["`+strings.Join(axeTags, `","`)+`"]`)
	return get(b, "running axe-core", chromedp.Evaluate[[]axeViolation](script, chromedp.EvalAwaitPromise))
}

// report is a violation as a developer fixes it: rule, impact, what it
// asks, and each element with axe's summary.
func (v axeViolation) report() string {
	var s strings.Builder
	fmt.Fprintf(&s, "%s (%s): %s\n    %s\n", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&s, "    at %s: %s\n      %s\n", n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n      "))
	}
	return s.String()
}

// The check can fail: on a page built to break four rules, axe-core
// reports each of them, with the element at fault.
func TestAxeFindsViolations(t *testing.T) {
	needChromium(t)
	src := needAxe(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html><head><title>broken</title></head><body><main>
<img src="/x.png"><input name="q"><p style="color:#aaa;background:#fff">pale</p></main></body></html>`)
	}))
	t.Cleanup(srv.Close)
	b := newBrowser(t, browserOptions{})
	b.run("opening the broken page", chromedp.Navigate(srv.URL), chromedp.WaitVisible(chromedp.CSS("input")))
	found := map[string]string{}
	for _, v := range b.axe(src) {
		found[v.ID] = v.Nodes[0].Target
	}
	want := map[string]string{"html-has-lang": `["html"]`, "image-alt": `["img"]`, "label": `["input"]`, "color-contrast": `["p"]`}
	for id, target := range want {
		if found[id] != target {
			t.Errorf("axe-core reports %s at %q, want %q (it found %v)", id, found[id], target, found)
		}
	}
}
