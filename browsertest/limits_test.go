package browsertest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Ten frames of an allowed site connect through the extension at once:
// two get a host (the extension's limit per site), the others
// RATE_LIMITED, and never more than two nm-host processes run.
func TestNativeHostLimit(t *testing.T) {
	needChromium(t)
	if runtime.GOOS != "linux" {
		t.Skip("counts processes in /proc")
	}
	s := startSite(t)
	home := newHome(t)
	a := startAgent(t, []string{s.origin()}, home.relayKey())
	home.setUp(t, a.port)
	ext, err := filepath.Abs("../webext/extension")
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, browserOptions{userDataDir: home.chromiumProfile(), env: home.env(), extension: ext})
	stop := watchHosts(home)
	b.run("opening ten frames", chromedp.Navigate(s.origin()+"/frames/frames.html?n=10"),
		chromedp.WaitVisible(chromedp.CSS("body[data-done]")))
	time.Sleep(200 * time.Millisecond) // a host beyond the limit would be running by now
	peak, now := stop()
	b.screenshot("frames")
	var outcomes map[string]int
	if err := json.Unmarshal([]byte(b.attr("body", "data-outcomes")), &outcomes); err != nil {
		t.Fatal(err)
	}
	if outcomes["opened"] != 2 || outcomes["RATE_LIMITED"] != 8 {
		t.Errorf("the frames got %v, want 2 opened and 8 RATE_LIMITED", outcomes)
	}
	if peak > 2 || now != 2 {
		t.Errorf("%d nm-host processes ran at once, %d at the end; want at most 2, and 2", peak, now)
	}
	if n := strings.Count(a.logs.String(), "relay proved itself"); n != 2 {
		t.Errorf("the agent saw %d relays, want 2", n)
	}
}

// watchHosts counts home's native-host processes (the launcher, then
// eidbridge nm-host) every few milliseconds until stop, which returns
// the most seen at once and the last count.
func watchHosts(home *userHome) (stop func() (peak, last int)) {
	var mu sync.Mutex
	peak, last := 0, 0
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			n := countHosts(home)
			mu.Lock()
			peak, last = max(peak, n), n
			mu.Unlock()
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return func() (int, int) {
		close(done)
		<-finished
		mu.Lock()
		defer mu.Unlock()
		return peak, last
	}
}

// countHosts counts the processes in /proc whose second argument is
// nm-host (the launcher's path, or the subcommand) and whose environment
// is home's.
func countHosts(home *userHome) int {
	procs, _ := filepath.Glob("/proc/[0-9]*")
	n := 0
	for _, p := range procs {
		cmd, err := os.ReadFile(filepath.Join(p, "cmdline"))
		args := strings.Split(string(cmd), "\x00")
		if err != nil || len(args) < 2 || filepath.Base(args[1]) != "nm-host" {
			continue
		}
		env, err := os.ReadFile(filepath.Join(p, "environ"))
		env = append([]byte{0}, env...)
		if err == nil && bytes.Contains(env, []byte("\x00XDG_STATE_HOME="+home.state+"\x00")) {
			n++
		}
	}
	return n
}
