//go:build cgo

package browsertest

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// forTest is b for a subtest: its failures and screenshots are t's.
func (b *browser) forTest(t *testing.T) *browser {
	c := *b
	c.t, c.shots, c.n = t, artifactDir(t), 0
	return &c
}

// clearCookies forgets every cookie: the portals of one test share the
// host 127.0.0.1, and cookies do not tell ports apart.
func clearCookies() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{})
		return err
	})
}

func (u *tour) step(what string, steps ...chromedp.Action[chromedp.Void]) {
	u.t.Helper()
	u.b.run(what, steps...)
}

// visit opens path, waits for sel and checks the page as state.
func (u *tour) visit(state, path, sel string) {
	u.t.Helper()
	u.step("opening "+path, chromedp.Navigate(u.origin+path), chromedp.WaitVisible(chromedp.CSS(sel)))
	u.check(state)
}

// submit types the values (name, value, name, value…) into the form
// posting to action, sends it and waits for sel in the next page.
func (u *tour) submit(action, sel string, fields ...string) {
	u.t.Helper()
	form := `form[action="` + action + `"] `
	steps := []chromedp.Action[chromedp.Void]{markStale()}
	for i := 0; i+1 < len(fields); i += 2 {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(form+`[name="`+fields[i]+`"]`), fields[i+1]))
	}
	steps = append(steps, chromedp.Click(chromedp.CSS(form+"button")), waitFresh(sel))
	u.step("sending "+action, steps...)
}

// markStale marks the page, so that waitFresh finds sel only in the next.
func markStale() chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.documentElement.dataset.stale = "1"`)
}

// waitFresh waits for sel in the next page, and for that page to load:
// Chromium numbers a page's nodes anew once its DOMContentLoaded has
// fired (which the portal's module script delays), and a node found
// before then can no longer be clicked ("Could not find node with given
// id").
func waitFresh(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.WaitVisible(chromedp.CSS(`html:not([data-stale]) `+sel)), loaded())
}

func loaded() chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`document.readyState == "complete"`,
		chromedp.WithPollingInterval(20*time.Millisecond))
}

// check runs axe-core on the page and measures its header, once a state.
func (u *tour) check(state string) {
	u.t.Helper()
	if u.seen[state] {
		return
	}
	u.seen[state] = true
	u.b.screenshot(state)
	if lang := u.b.attr("html", "lang"); lang != u.lang {
		u.t.Errorf("%s: the page is marked lang=%q, want %q", state, lang, u.lang)
	}
	if vs := u.b.axe(u.axe); len(vs) > 0 {
		var s strings.Builder
		for _, v := range vs {
			s.WriteString(v.report())
		}
		u.t.Errorf("%s (%s): %d accessibility rules fail:\n%s", state, u.lang, len(vs), s.String())
	}
	if wrap := get(u.b, "measuring the header", chromedp.Evaluate[string](headerOneLine)); wrap != "" {
		u.t.Errorf("%s (%s): the header does not fit on one line: %s", state, u.lang, wrap)
	}
}

// headerOneLine is "" when every link and button of the header shares
// one line (their boxes overlap vertically) and none wraps inside;
// else each one's text, top, bottom and number of lines.
const headerOneLine = `(() => {
  const items = [...document.querySelectorAll("body > header a, body > header button")]
    .map(e => ({e, r: e.getBoundingClientRect(), lines: e.getClientRects().length}))
    .filter(x => x.r.width > 0);
  const top = Math.max(...items.map(x => x.r.top)), bottom = Math.min(...items.map(x => x.r.bottom));
  if (top < bottom && items.every(x => x.lines == 1)) return "";
  return JSON.stringify(items.map(x => [x.e.textContent.trim(), Math.round(x.r.top), Math.round(x.r.bottom), x.lines]));
})()`

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// actionOf is the path of link, where its page's form posts.
func actionOf(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	return u.Path
}
