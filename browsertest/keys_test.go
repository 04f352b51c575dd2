//go:build cgo

package browsertest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// keyboard drives a page with key events only: no clicks, and no value
// set by script.
type keyboard struct {
	t    *testing.T
	b    *browser
	code string // the activation code the desk handed out
}

// shiftTab stands for Shift-Tab where a key is expected.
const shiftTab = "Shift-Tab"

// maxTabs bounds a walk with Tab: the longest page has fewer controls.
const maxTabs = 40

func (k *keyboard) press(key string) {
	k.t.Helper()
	name := fmt.Sprintf("pressing %q", key)
	if key == shiftTab {
		k.b.run(name, chromedp.KeyEvent(kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift)))
		return
	}
	k.b.run(name, chromedp.KeyEvent(key))
}

// typeText types s into the focused element, key by key.
func (k *keyboard) typeText(s string) {
	k.t.Helper()
	k.b.run("typing", chromedp.KeyEvent(s))
}

// expect presses key and requires the focus on sel, visibly.
func (k *keyboard) expect(key, sel string) {
	k.t.Helper()
	k.press(key)
	if f := k.focus(sel); !f.Matches {
		k.b.screenshot("focus-lost")
		k.t.Fatalf("after %q the focus is on %s, want %s", key, f.Desc, sel)
	}
}

// expectOrder presses key once for each of sels, in turn.
func (k *keyboard) expectOrder(key string, sels ...string) {
	k.t.Helper()
	for _, s := range sels {
		k.expect(key, s)
	}
}

// tabTo presses Tab until sel has the focus; every control on the way
// must show it.
func (k *keyboard) tabTo(sel string) {
	k.t.Helper()
	var path []string
	for range maxTabs {
		k.press(kb.Tab)
		f := k.focus(sel)
		if f.Matches {
			return
		}
		path = append(path, f.Desc)
	}
	k.t.Fatalf("%d Tabs do not reach %s; they went through %s", maxTabs, sel, strings.Join(path, ", "))
}

// fill tabs to the first field of name, value pairs and types its value,
// then requires each next Tab to reach the next field, and last Tab last.
func (k *keyboard) fill(last string, fields ...string) {
	k.t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		sel := `[name="` + fields[i] + `"]`
		if i == 0 {
			k.tabTo(sel)
		} else {
			k.expect(kb.Tab, sel)
		}
		k.typeText(fields[i+1])
	}
	k.expect(kb.Tab, last)
}

// follow presses key (Enter on a link or button, Space on a button) and
// waits for sel in the page it opens.
func (k *keyboard) follow(sel, key string) {
	k.t.Helper()
	k.b.run("marking the page", markStale())
	k.press(key)
	k.b.run(fmt.Sprintf("waiting for %s after %q", sel, key), waitFresh(sel))
}

// focused is the element with the focus: what it is, whether it
// matches, and whether a control shows the focus (an outline of 2 px or
// more, or a box shadow) inside the window.
type focused struct {
	Desc             string
	Matches, Control bool
	Visible          bool
}

const focusScript = `((sel) => {
  const e = document.activeElement;
  if (!e || e === document.body) return {Desc: "nothing"};
  const s = getComputedStyle(e), r = e.getBoundingClientRect();
  const named = e.name ? "[name=" + e.name + "]" : e.getAttribute("href") ? "[href=" + e.getAttribute("href") + "]" : "";
  const text = e.matches("input, select") ? "" : " " + JSON.stringify(e.innerText.trim().slice(0, 30));
  const ring = (s.outlineStyle != "none" && parseFloat(s.outlineWidth) >= 2) || s.boxShadow != "none";
  const inside = r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  return {Desc: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + named + text, Matches: e.matches(sel),
    Control: e.matches("a[href], button, input, select, textarea"), Visible: ring && inside};
})(%s)`

// focus describes the focused element; a control without a visible
// focus fails the test.
func (k *keyboard) focus(sel string) focused {
	k.t.Helper()
	q, _ := json.Marshal(sel)
	f := get(k.b, "reading the focus", chromedp.Evaluate[focused](fmt.Sprintf(focusScript, q)))
	if f.Control && !f.Visible {
		k.b.screenshot("focus-invisible")
		k.t.Errorf("the focus on %s is not visible (no outline or shadow, or off the window)", f.Desc)
	}
	return f
}
