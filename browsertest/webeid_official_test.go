//go:build cgo

package browsertest

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
	"github.com/eidbridge/eidbridge/nmhost"
	"github.com/eidbridge/eidbridge/pcsc"
	"github.com/eidbridge/eidbridge/verify"
)

// The official Web eID pieces are not part of this repository (nor
// fetched by it): a person builds them from their public sources and
// names them here (docs/webeid.md, "Running the official Web eID
// extension against eidbridge").
const (
	officialExtensionEnv = "EIDBRIDGE_WEBEID_EXTENSION" // the unpacked extension (dist/chrome)
	officialLibraryEnv   = "EIDBRIDGE_WEBEID_LIBRARY"   // web-eid.js's ES or UMD bundle
)

const officialBuildHelp = "set " + officialExtensionEnv + " to the official Web eID extension built unpacked " +
	"(git clone --recurse-submodules https://github.com/web-eid/web-eid-webextension.git; npm ci; npm run build; " +
	"use dist/chrome) and " + officialLibraryEnv + " to web-eid.js's bundle " +
	"(git clone https://github.com/web-eid/web-eid.js.git; npm ci; use dist/es/web-eid.js); see docs/webeid.md"

// needOfficialWebEID returns the official extension's directory and the
// library's bundle, skipping the test when they are not named: nothing
// here can build them, and the test is about those very builds.
func needOfficialWebEID(t *testing.T) (extension, library string) {
	t.Helper()
	extension, library = os.Getenv(officialExtensionEnv), os.Getenv(officialLibraryEnv)
	if extension == "" || library == "" {
		t.Skip("the official Web eID extension and library are not given: " + officialBuildHelp)
	}
	if !fileExists(filepath.Join(extension, "manifest.json")) || !fileExists(library) {
		t.Fatalf("%s=%q must hold manifest.json and %s=%q must be a file: %s",
			officialExtensionEnv, extension, officialLibraryEnv, library, officialBuildHelp)
	}
	// Chromium names an unpacked extension by its real absolute path.
	abs, err := filepath.Abs(extension)
	if err == nil {
		extension, err = filepath.EvalSymlinks(abs)
	}
	if err != nil {
		t.Fatal(err)
	}
	return extension, library
}

// officialManifest is what the test reads of the extension's manifest.
type officialManifest struct {
	Version string `json:"version"`
	Key     string `json:"key"`
}

func readOfficialManifest(t *testing.T, dir string) officialManifest {
	t.Helper()
	var m officialManifest
	b, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// unpackedID is the ID Chromium gives an unpacked extension: from the
// manifest's "key" (the SubjectPublicKeyInfo) when it has one, else from
// its absolute path; the first 16 bytes of the SHA-256, hex digits
// written a to p.
func unpackedID(t *testing.T, dir string, m officialManifest) string {
	t.Helper()
	src := []byte(dir)
	if m.Key != "" {
		der, err := base64.StdEncoding.DecodeString(m.Key)
		if err != nil {
			t.Fatalf("the manifest's key: %v", err)
		}
		src = der
	}
	sum := sha256.Sum256(src)
	return strings.Map(func(r rune) rune {
		if r <= '9' {
			return 'a' + r - '0'
		}
		return 'k' + r - 'a'
	}, hex.EncodeToString(sum[:16]))
}

// officialPage is the test site's page: it imports the real web-eid.js
// and offers its four calls to the test, each settled as {ok, value} or
// {ok: false, error}. An ES bundle exports the API, a UMD one sets the
// global webeid. login has the site's server verify the token, as a
// relying party does.
const officialPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Test site: the official web-eid.js</title></head>
<body>
<h1>Test site (official web-eid.js)</h1>
<script type="module">
import * as bundle from "./web-eid.js";
const webeid = bundle.authenticate ? bundle : globalThis.webeid;
const settle = async (call) => {
  try {
    return { ok: true, value: await call() };
  } catch (e) {
    return { ok: false, error: { code: e.code || "", name: e.name || "", message: String(e.message),
      cancelled: e instanceof webeid.UserCancelledError } };
  }
};
const post = async (path, body) => (await fetch(path, { method: "POST",
  headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).json();
window.officialPage = {
  version: webeid.config && webeid.config.VERSION,
  status: () => settle(() => webeid.status()),
  async login(options) {
    const { nonce } = await post("/challenge", {});
    const res = await settle(() => webeid.authenticate(nonce, options));
    if (!res.ok) return res;
    const verified = await post("/login", { nonce, token: res.value });
    return { ...res, nonce, name: verified.name || "", serverError: verified.error || "" };
  },
  certificate: (options) => settle(() => webeid.getSigningCertificate(options)),
  sign: (certificate, hash, hashFunction, options) => settle(() => webeid.sign(certificate, hash, hashFunction, options)),
};
document.body.dataset.ready = "yes";
</script>
</body>
</html>
`

// startOfficialSite is the test site (site.go's nonces and token checks)
// over https as newSite, with the page and the library under /official/.
func startOfficialSite(t *testing.T, library string) *site {
	t.Helper()
	s := &site{nonces: map[string]bool{}}
	s.roots, s.inter = fixtureTrust(t)
	mux := s.mux()
	mux.HandleFunc("GET /official/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, officialPage)
	})
	mux.HandleFunc("GET /official/web-eid.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8") // whatever the bundle's file name
		http.ServeFile(w, r, library)
	})
	ln := listen(t)
	s.port = ln.Addr().(*net.TCPAddr).Port
	srv := &http.Server{Handler: mux}
	go srv.Serve(tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{siteCert(t)}}))
	t.Cleanup(func() { srv.Close() })
	return s
}

// officialOrigin is the page's origin: https, as the Web eID application
// requires, on a name the browser resolves to 127.0.0.1.
func officialOrigin(s *site) string { return "https://" + newSite + ":" + itoa(s.port) }

// installOfficialHost writes the agent's configuration into home (nm-host
// finds the agent's port there) and registers eidbridge as the Web eID
// native application (eu.webeid) as an admin would for a self-built
// extension: `eidbridge nm-host install --webeid --extension-id ID`.
// Nothing fakes the published ID: the registration alone makes nm-host
// speak Web eID to the unpacked build.
func installOfficialHost(t *testing.T, home *userHome, agentPort int, extID string) {
	t.Helper()
	cfg := agent.DefaultConfig()
	cfg.Port = agentPort
	if err := cfg.Save(filepath.Join(home.config, "eidbridge", "config.json")); err != nil {
		t.Fatal(err)
	}
	bin := eidbridgeBinary(t)
	cmd := exec.Command(bin, "nm-host", "install", "--webeid", "--browser", "chromium", "--extension-id", extID, "--binary", bin)
	cmd.Env = append(os.Environ(), home.env()...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("eidbridge nm-host install --webeid: %v\n%s", err, out)
	}
	t.Logf("eidbridge nm-host install --webeid --extension-id %s:\n%s", extID, out)
	wantOfficialRegistration(t, filepath.Join(home.chromiumProfile(), "NativeMessagingHosts"), extID)
}

// wantOfficialRegistration checks what install wrote where this profile's
// Chromium looks: eu.webeid allowing the unpacked build besides the
// published IDs, and a launcher that starts nm-host --webeid.
func wantOfficialRegistration(t *testing.T, dir, extID string) {
	t.Helper()
	var m struct {
		Path           string   `json:"path"`
		AllowedOrigins []string `json:"allowed_origins"`
	}
	b, err := os.ReadFile(filepath.Join(dir, nmhost.WebEIDHostName+".json"))
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		t.Fatalf("the eu.webeid registration: %v", err)
	}
	want := "chrome-extension://" + extID + "/"
	if !slices.Contains(m.AllowedOrigins, want) || !slices.Contains(m.AllowedOrigins, "chrome-extension://"+nmhost.WebEIDChromeID+"/") {
		t.Errorf("eu.webeid allows %v, want the published IDs and %s", m.AllowedOrigins, want)
	}
	if script, err := os.ReadFile(m.Path); err != nil || !strings.Contains(string(script), " nm-host "+nmhost.WebEIDMarker+" ") {
		t.Errorf("the launcher %s: %q, %v; want it to start nm-host %s", m.Path, script, err, nmhost.WebEIDMarker)
	}
}

// officialScenario is the official extension alone in Chromium, the real
// web-eid.js on an https page, nm-host as eu.webeid, and the agent over
// the virtual card in pcscd's vpcd reader.
type officialScenario struct {
	t        *testing.T
	site     *site
	origin   string
	agent    *agentEnv
	b        *browser
	extID    string
	manifest officialManifest
}

func newOfficialScenario(t *testing.T) *officialScenario {
	t.Helper()
	extension, library := needOfficialWebEID(t)
	needPCSC(t)
	needChromium(t)
	pc, err := pcsc.NewContext()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pc.Close() }) // after the agent, which uses it
	s := &officialScenario{t: t, site: startOfficialSite(t, library), manifest: readOfficialManifest(t, extension)}
	s.origin = officialOrigin(s.site)
	s.extID = unpackedID(t, extension, s.manifest)
	home := newHome(t)
	s.agent = serveAgent(t, agent.NewPCSCCards(pc), listen(t), []string{s.origin}, home.relayKey())
	plugCard(t, pc)
	installOfficialHost(t, home, s.agent.port, s.extID)
	// Only the official extension: ours is not loaded in this profile.
	s.b = newBrowser(t, browserOptions{userDataDir: home.chromiumProfile(), env: home.env(), extension: extension,
		flags: map[string]any{"host-resolver-rules": "MAP *.example.test 127.0.0.1", "ignore-certificate-errors": true}})
	return s
}

// wantOnlyOfficialExtension waits for the extension's service worker and
// checks that it is the one the host was registered for, and alone.
func (s *officialScenario) wantOnlyOfficialExtension() {
	s.t.Helper()
	var ids []string
	for deadline := time.Now().Add(15 * time.Second); len(ids) == 0 && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		ids = s.b.extensionIDs()
	}
	if !slices.Equal(ids, []string{s.extID}) {
		s.t.Fatalf("extensions running: %v, want only the official one, %s", ids, s.extID)
	}
}

// extensionIDs are the IDs of the extensions with a page or worker running.
func (b *browser) extensionIDs() []string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		b.t.Fatalf("listing the browser's targets: %v", err)
	}
	var ids []string
	for _, tg := range targets {
		if rest, ok := strings.CutPrefix(tg.URL, "chrome-extension://"); ok {
			ids = append(ids, strings.SplitN(rest, "/", 2)[0])
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func (s *officialScenario) open() {
	s.t.Helper()
	s.b.run("opening the page with the official web-eid.js", chromedp.Navigate(s.origin+"/official/"),
		chromedp.WaitVisible(chromedp.CSS(`body[data-ready="yes"]`)))
}

// officialAnswer is what an officialPage call settles to.
type officialAnswer struct {
	OK    bool            `json:"ok"`
	Value json.RawMessage `json:"value"`
	Error struct {
		Code      string `json:"code"`
		Name      string `json:"name"`
		Message   string `json:"message"`
		Cancelled bool   `json:"cancelled"` // an instance of the library's UserCancelledError
	} `json:"error"`
	Nonce       string `json:"nonce"`
	Name        string `json:"name"`
	ServerError string `json:"serverError"`
}

// call runs an officialPage call, checks that it succeeded and decodes
// its value into v; it returns how long the call took.
func (s *officialScenario) call(what, expr string, v any) time.Duration {
	s.t.Helper()
	a, took := s.try(what, expr)
	if !a.OK {
		s.t.Fatalf("%s failed: %+v\nnm-host's Web eID starts: %q", what, a.Error, s.webEIDStarts())
	}
	if err := json.Unmarshal(a.Value, v); err != nil {
		s.t.Fatalf("%s answered %s: %v", what, a.Value, err)
	}
	return took
}

func (s *officialScenario) try(what, expr string) (officialAnswer, time.Duration) {
	s.t.Helper()
	start := time.Now()
	a := get(s.b, what, chromedp.Evaluate[officialAnswer]("officialPage."+expr, chromedp.EvalAwaitPromise))
	took := time.Since(start)
	s.t.Logf("%s: %v", what, took.Round(time.Millisecond))
	return a, took
}

// wantDialog checks the agent's last dialog: the page's origin, the
// purpose, the language the page asked for.
func (s *officialScenario) wantDialog(purpose ui.Purpose, lang string) {
	s.t.Helper()
	q, shown := s.agent.question()
	if !shown || q.Origin != s.origin || q.Purpose != purpose || q.Lang != lang {
		s.t.Errorf("the agent's dialog: %+v (shown %v), want %s for %s in %s", q, shown, purpose, s.origin, lang)
	}
}

// webEIDStarts are nm-host's log lines, in the browser's output (a
// native host inherits its stderr), saying that a start spoke the Web
// eID protocol and to whom.
func (s *officialScenario) webEIDStarts() []string {
	var starts []string
	for _, line := range strings.Split(s.b.output.String(), "\n") {
		if strings.Contains(line, "component=nm-host") && strings.Contains(line, `msg="speaking the Web eID protocol"`) {
			starts = append(starts, line)
		}
	}
	return starts
}

// status checks the versions the official extension reports: its own,
// the library's, and nm-host's as the Web eID application's.
func (s *officialScenario) status() {
	s.t.Helper()
	var st struct{ Library, Extension, NativeApp string }
	s.call("status", "status()", &st)
	libVersion := get(s.b, "reading the library's version", chromedp.Evaluate[string]("officialPage.version"))
	s.t.Logf("versions: library %s, extension %s, native application %s", st.Library, st.Extension, st.NativeApp)
	// nm-host's version is Web eID's protocol version, eidbridge's own as build metadata.
	protocol, _, _ := strings.Cut(nmhost.WebEIDVersion("test"), "+")
	if st.Extension != s.manifest.Version || st.Library != libVersion || !strings.HasPrefix(st.NativeApp, protocol+"+eidbridge.") {
		s.t.Errorf("status %+v: want extension %s, library %s and eidbridge's nm-host as the application",
			st, s.manifest.Version, libVersion)
	}
}

// login authenticates through the official pieces, has the site's server
// verify the token, and verifies it again here: it holds for this origin
// and nonce and for no other.
func (s *officialScenario) login(lang string) {
	s.t.Helper()
	a, _ := s.try("authenticate", `login({lang: "`+lang+`"})`)
	if !a.OK {
		s.t.Fatalf("authenticate failed: %+v\nnm-host's Web eID starts: %q", a.Error, s.webEIDStarts())
	}
	var tok struct{ Format, AppVersion string }
	if err := json.Unmarshal(a.Value, &tok); err != nil {
		s.t.Fatal(err)
	}
	s.t.Logf("token: format %s, appVersion %s", tok.Format, tok.AppVersion)
	if tok.Format != verify.Format || !strings.Contains(tok.AppVersion, "eidbridge") {
		s.t.Errorf("token format %q, appVersion %q: want %s from eidbridge", tok.Format, tok.AppVersion, verify.Format)
	}
	if a.Name != "Marie Claire Dubois" {
		s.t.Errorf("the site's server verified %q (%s)", a.Name, a.ServerError)
	}
	s.wantDialog(ui.PurposeAuthenticate, lang)
	s.verifyToken(a.Value, a.Nonce)
}

// verifyToken checks the token with package verify: valid for the
// page's origin and nonce, refused for another origin or nonce.
func (s *officialScenario) verifyToken(token json.RawMessage, nonce string) {
	s.t.Helper()
	validate := func(origin, nonce string) error {
		v, err := verify.NewValidator(verify.Config{Origin: origin, Roots: s.site.roots, Intermediates: s.site.inter})
		if err == nil {
			_, err = v.Validate(token, nonce)
		}
		return err
	}
	if err := validate(s.origin, nonce); err != nil {
		s.t.Errorf("the token does not verify for %s and its nonce: %v", s.origin, err)
	}
	h := sha256.Sum256([]byte(nonce))
	other := base64.StdEncoding.EncodeToString(h[:]) // a nonce as the site issues them, not this one
	for _, c := range [][2]string{{"https://" + otherSite + ":" + itoa(s.site.port), nonce}, {s.origin, other}} {
		if err := validate(c[0], c[1]); !errors.Is(err, verify.ErrSignature) {
			s.t.Errorf("the token for %s verified for %s with nonce %.12s…: %v, want %v", s.origin, c[0], c[1], err, verify.ErrSignature)
		}
	}
}

// signDocument gets the signing certificate (a consent dialog in
// certLang) and signs a SHA-256 hash (a PIN dialog in signLang); the
// signature verifies with the certificate.
func (s *officialScenario) signDocument(certLang, signLang string) {
	s.t.Helper()
	var c struct {
		Certificate                  string
		SupportedSignatureAlgorithms []agent.SignatureAlgorithm
	}
	s.call("get-signing-certificate", `certificate({lang: "`+certLang+`"})`, &c)
	s.wantDialog(ui.PurposeGetSigningCertificate, certLang)
	cert := parseCertificate(s.t, c.Certificate)
	algs := algorithmsFor(cert)
	if !slices.Equal(c.SupportedSignatureAlgorithms, algs) {
		s.t.Errorf("supportedSignatureAlgorithms %+v, want %+v for the certificate's key", c.SupportedSignatureAlgorithms, algs)
	}
	sum := sha256.Sum256([]byte("Belastingaangifte 2026"))
	var sig struct {
		Signature          string
		SignatureAlgorithm agent.SignatureAlgorithm
	}
	s.call("sign", fmt.Sprintf(`sign(%q, %q, "SHA-256", {lang: %q})`,
		c.Certificate, base64.StdEncoding.EncodeToString(sum[:]), signLang), &sig)
	if sig.SignatureAlgorithm != algs[0] {
		s.t.Errorf("signatureAlgorithm %+v, want %+v", sig.SignatureAlgorithm, algs[0])
	}
	verifySignature(s.t, cert, sum[:], sig.Signature)
	s.wantDialog(ui.PurposeSign, signLang)
}

// cancel has the citizen press Cancel: the page gets the library's
// UserCancelledError and the site logs no one in.
func (s *officialScenario) cancel() {
	s.t.Helper()
	s.agent.answer("cancel")
	before, _ := s.site.verified()
	a, _ := s.try("authenticate, cancelled", "login()")
	if a.OK || a.Error.Code != "ERR_WEBEID_USER_CANCELLED" || !a.Error.Cancelled {
		s.t.Errorf("after Cancel the page got %+v, want the library's UserCancelledError", a)
	}
	if after, _ := s.site.verified(); len(after) != len(before) {
		s.t.Errorf("the site logged in %v after a cancel", after[len(before):])
	}
}

// The official Web eID extension, built from its public sources, with the
// official web-eid.js on an https page, and eidbridge nm-host as the Web
// eID application it starts (eu.webeid): status, login (the token
// verified with package verify), the signing certificate, a signature,
// and a cancel; PIN and consent come from the agent's dialogs, the card
// from pcscd's vpcd reader. Opt-in: it needs those builds
// (officialBuildHelp) and EIDBRIDGE_PCSC_TESTS=1.
func TestOfficialWebEIDExtension(t *testing.T) {
	start := time.Now()
	s := newOfficialScenario(t)
	t.Logf("set up (agent, card in pcscd, Chromium): %v", time.Since(start).Round(time.Millisecond))
	s.wantOnlyOfficialExtension()
	s.open()
	s.status()
	s.login("nl")
	s.signDocument("fr", "de")
	s.cancel()
	s.b.screenshot("official-webeid-done")
	// One host per request, each started by the unpacked build under its
	// own ID and speaking Web eID because of the registration.
	starts := s.webEIDStarts()
	want := `caller=chrome-extension://` + s.extID + `/ because="registered as eu.webeid"`
	if len(starts) != 5 || slices.ContainsFunc(starts, func(l string) bool { return !strings.Contains(l, want) }) {
		t.Errorf("nm-host's Web eID starts:\n%s\nwant 5, each with %s", strings.Join(starts, "\n"), want)
	}
	t.Logf("the whole test: %v", time.Since(start).Round(time.Millisecond))
}
