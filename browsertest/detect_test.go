package browsertest

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// probeScript is what a scanning page does to find a local agent: a
// no-cors fetch (resolves on any HTTP answer, even a 403), the same with
// a URL too long for the server's header limit, and a websocket.
const probeScript = `(async () => {
  const fetched = async (url) => { try { await fetch(url, {mode: "no-cors"}); return "answered"; } catch { return "failed"; } };
  const ws = (url) => new Promise((r) => { const s = new WebSocket(url); s.onopen = () => r("open"); s.onerror = () => r("failed"); });
  const out = {};
  for (const [name, port] of [["agent", %d], ["closed", %d]]) {
    out[name] = [await fetched("http://127.0.0.1:" + port + "/v1"),
      await fetched("http://127.0.0.1:" + port + "/" + "a".repeat(40000)),
      await ws("ws://127.0.0.1:" + port + "/v1")].join(" ");
  }
  return JSON.stringify(out);
})()`

// A page whose origin the agent does not allow cannot tell the running
// agent from a closed port, in real Chromium: every probe fails alike.
func TestScanningPageCannotDetectAgent(t *testing.T) {
	needChromium(t)
	a := startAgent(t, []string{"https://mijn.belgium.be"}, "")
	s := startSite(t)
	b := newBrowser(t, browserOptions{})
	b.run("opening the scanning page", chromedp.Navigate(fmt.Sprintf("http://127.0.0.1:%d/", s.port)))
	got := get(b, "probing", chromedp.Evaluate[string](fmt.Sprintf(probeScript, a.port, deadPort(t)), chromedp.EvalAwaitPromise))
	const want = `{"agent":"failed failed failed","closed":"failed failed failed"}`
	if got != want {
		t.Errorf("what a scanning page sees: %s, want %s (the agent like a closed port)", got, want)
	}
}
