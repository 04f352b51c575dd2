package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/eidbridge/eidbridge/agent/agenttest"
)

// findChromium returns the browser to drive: $EIDBRIDGE_CHROMIUM, or
// Debian's chromium. Debian's /usr/bin/chromium is a shell script that
// adds a --load-extension of its own, so its real binary is used.
func findChromium() (string, error) {
	if p := os.Getenv("EIDBRIDGE_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("EIDBRIDGE_CHROMIUM: %w", err)
		}
		return p, nil
	}
	if _, err := os.Stat("/usr/lib/chromium/chromium"); err == nil {
		return "/usr/lib/chromium/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium found (apt-get install chromium, or set EIDBRIDGE_CHROMIUM)")
}

// needChromium skips when there is no browser, loudly. Under
// EIDBRIDGE_PCSC_TESTS=1 (make test) a missing browser fails instead
// wherever apt could have installed it (scripts/testenv.sh tries).
func needChromium(t *testing.T) string {
	t.Helper()
	p, err := findChromium()
	if err == nil {
		return p
	}
	if _, noApt := exec.LookPath("apt-get"); os.Getenv("EIDBRIDGE_PCSC_TESTS") == "1" && noApt == nil {
		t.Fatalf("browser tests need Chromium, which make test installs (scripts/testenv.sh): %v", err)
	}
	msg := "SKIPPING the browser tests: " + err.Error()
	fmt.Fprintln(os.Stderr, "!!! "+msg)
	t.Skip(msg)
	return ""
}

// browser is one headless Chromium with a fresh profile.
type browser struct {
	t      *testing.T
	ctx    context.Context
	output *agenttest.Buffer // the browser's (and the native host's) stderr
	shots  string            // screenshot directory
	n      int
}

// browserOptions choose the profile directory, the environment (which
// the native host inherits) and whether the extension is loaded.
type browserOptions struct {
	userDataDir string
	env         []string
	extension   string // unpacked extension directory, "" for none
	flags       map[string]any
}

func newBrowser(t *testing.T, o browserOptions) *browser {
	t.Helper()
	exe := needChromium(t)
	if o.userDataDir == "" {
		o.userDataDir = t.TempDir()
	}
	out := &agenttest.Buffer{}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(o.userDataDir),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox, // root in containers; the tests load only their own pages
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("window-size", "1000,700"),
		chromedp.Env(o.env...),
		chromedp.CombinedOutput(out),
	)
	for name, v := range o.flags {
		opts = append(opts, chromedp.Flag(name, v))
	}
	if o.extension != "" {
		opts = append(opts,
			chromedp.Flag("disable-extensions", false),
			chromedp.Flag("load-extension", o.extension),
			chromedp.Flag("disable-extensions-except", o.extension),
			// Chrome-branded builds ignore --load-extension since 137.
			chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,DisableLoadExtensionCommandLineSwitch"),
		)
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
		if t.Failed() {
			t.Logf("browser output:\n%s", out.String())
		}
	})
	// The browser lives as long as the context of its first action, so
	// that one has no timeout; each later step has its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v\n%s", exe, err, out.String())
	}
	return &browser{t: t, ctx: ctx, output: out, shots: artifactDir(t)}
}

// stepTimeout bounds each browser step; the slowest is a login through
// the extension, which starts the native host.
const stepTimeout = 30 * time.Second

// run runs steps, failing the test with a screenshot when they fail.
func (b *browser) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.screenshot("failed-" + unsafeName.ReplaceAllString(what, "-"))
		b.t.Fatalf("%s: %v; the page shows: %.400q", what, err, b.visibleText())
	}
}

// visibleText is the page's text, for failure messages.
func (b *browser) visibleText() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return strings.Join(strings.Fields(s), " ")
}

// get runs one step that reads a value.
func get[T any](b *browser, what string, step chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, step)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// screenshot saves the page as NN-name.png in the test's artifact directory.
func (b *browser) screenshot(name string) string {
	b.t.Helper()
	b.n++
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	p := filepath.Join(b.shots, fmt.Sprintf("%02d-%s.png", b.n, name))
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Errorf("saving a screenshot: %v", err)
	}
	return p
}

// text is the visible text of the element sel (CSS).
func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(get(b, "reading "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// attr is the value of attribute name of the element sel (CSS), "" when
// it has none.
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	return get(b, "reading "+sel+" "+name, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}

var (
	artifactsOnce sync.Once
	artifactsRoot string
)

// artifactDir is where a test's screenshots go: $EIDBRIDGE_ARTIFACTS/
// browsertest/TEST, else a fixed directory under the system's temporary
// one, emptied at each run and kept afterwards for a person to look at.
// unsafeName matches what may not go into a file name as it is.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

func artifactDir(t *testing.T) string {
	artifactsOnce.Do(func() {
		root := os.Getenv("EIDBRIDGE_ARTIFACTS")
		if root == "" {
			root = filepath.Join(os.TempDir(), "eidbridge-artifacts")
		}
		artifactsRoot = filepath.Join(root, "browsertest")
		os.RemoveAll(artifactsRoot)
	})
	dir := filepath.Join(artifactsRoot, unsafeName.ReplaceAllString(t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}
