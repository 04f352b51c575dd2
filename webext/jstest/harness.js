// Test doubles for the client and extension unit tests (node --test):
// a page window with postMessage, a WebSocket to a scripted agent, and a
// browser running the extension's real content.js and background.js with
// a scripted native-messaging host.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { webcrypto } from "node:crypto";
import vm from "node:vm";

// A browser page always has crypto; Node.js 18 (Debian 12's) keeps it
// behind a flag, so the harness supplies the same Web Crypto object.
globalThis.crypto ??= webcrypto;

const later = (fn) => setTimeout(fn, 0);

/** tick waits for every queued callback (message deliveries) to run. */
export const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

/** mockWindow is a page at origin, in language lang: postMessage delivers to every listener, as a browser does. */
export function mockWindow(origin = "https://site.example", { secure = true, lang = "" } = {}) {
  const listeners = new Set();
  const url = new URL(origin);
  const win = {
    isSecureContext: secure,
    location: { origin: url.origin, protocol: url.protocol, hostname: url.hostname },
    document: { documentElement: { lang } },
    posted: [],
    addEventListener(type, fn) {
      if (type === "message") listeners.add(fn);
    },
    removeEventListener(type, fn) {
      listeners.delete(fn);
    },
    postMessage(data, targetOrigin) {
      win.posted.push({ data, targetOrigin });
      if (targetOrigin !== url.origin && targetOrigin !== "*") return;
      win.dispatch({ source: win, origin: url.origin, data: structuredClone(data) });
    },
    // dispatch delivers an event as if another window or frame posted it.
    dispatch(event) {
      later(() => listeners.forEach((fn) => fn(event)));
    },
  };
  return win;
}

/**
 * agentHandler answers a request like the agent: ok(result), fail(code) or
 * a custom function (req) → reply | null (no reply).
 */
export function fakeAgent(handlers = {}) {
  const agent = {
    requests: [],
    handle(req) {
      agent.requests.push(req);
      const h = handlers[req.op];
      if (h === undefined) return { id: req.id, result: { op: req.op } };
      return typeof h === "function" ? h(req) : h === null ? null : { id: req.id, ...h };
    },
  };
  return agent;
}

/** MockWebSocket plays the agent's websocket; mode is "open", "refuse" or "hang". */
export function mockWebSocket(agent, mode = "open") {
  return class MockWebSocket {
    static last = null;
    constructor(url) {
      this.url = url;
      this.closed = false;
      MockWebSocket.last = this;
      later(() => {
        if (mode === "open") this.onopen?.();
        if (mode === "refuse") this.#close();
      });
    }
    send(data) {
      const reply = agent.handle(JSON.parse(data));
      if (reply) this.push(reply);
    }
    push(msg) {
      later(() => !this.closed && this.onmessage?.({ data: JSON.stringify(msg) }));
    }
    close() {
      this.#close();
    }
    #close() {
      if (this.closed) return;
      this.closed = true;
      later(() => this.onclose?.({ code: 1006 }));
    }
  };
}

// event is a chrome.events.Event.
function event() {
  const fns = new Set();
  return { addListener: (f) => fns.add(f), removeListener: (f) => fns.delete(f), fire: (...a) => fns.forEach((f) => f(...a)) };
}

// port is one end of a runtime.Port; disconnect() fires the other end's onDisconnect only.
function portPair(name, sender) {
  const mk = (s) => ({ name, sender: s, onMessage: event(), onDisconnect: event(), gone: false });
  const a = mk(undefined);
  const b = mk(sender);
  for (const [p, q] of [[a, b], [b, a]]) {
    p.postMessage = (m) => {
      if (p.gone) throw new Error("Attempting to use a disconnected port object");
      const copy = structuredClone(m);
      later(() => !q.gone && q.onMessage.fire(copy, q));
    };
    p.disconnect = () => {
      if (p.gone) return;
      p.gone = true;
      // After the messages already on their way, as browsers deliver them.
      later(() => {
        if (q.gone) return;
        q.gone = true;
        q.onDisconnect.fire(q);
      });
    };
  }
  return [a, b];
}

const extDir = fileURLToPath(new URL("../extension/", import.meta.url));
// The content scripts in the manifest's order, as the browser loads them.
const contentScripts = JSON.parse(readFileSync(extDir + "manifest.json", "utf8")).content_scripts[0].js;

/** The agent's default allowlist, which the scripted host answers the origins query with. */
export const DEFAULT_ORIGINS = ["https://*.belgium.be", "https://*.fgov.be"];

/** sessionStorage plays storage.session; share one between browsers to play a worker restart. */
export function sessionStorage() {
  const data = {};
  return {
    data,
    get: async (key) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
    set: async (items) => void Object.assign(data, structuredClone(items)),
  };
}

/**
 * fakeBrowser loads the extension into win: content.js in the page and
 * limits.js and background.js in a worker context. host(origin) is the
 * native host: it gets the first message and returns {ready, agent},
 * {refused: true} (the agent refused the origin) or {} (unavailable); no
 * host is "not installed". It answers the origins query with
 * browser.origins and browser.firstContact. browser.native records the relays, browser.queries
 * the origins queries; browser.alive counts the hosts running and
 * browser.peak the most at once. browser.advance(ms) moves the worker's
 * clock; browser.addPage(win, sender) adds another frame or tab.
 */
export function fakeBrowser(win, { host, sender, origins = DEFAULT_ORIGINS, firstContact = false, storage = sessionStorage() } = {}) {
  const onConnect = event();
  let offset = 0;
  const browser = { native: [], queries: [], warnings: [], started: 0, alive: 0, peak: 0, origins: [...origins], firstContact };
  browser.advance = (ms) => (offset += ms);
  const runtime = {
    lastError: undefined,
    onConnect,
    connectNative: (name) => connectNative(browser, runtime, name, host),
  };
  browser.addPage = (w, s) => {
    const connect = ({ name }) => {
      const [mine, theirs] = portPair(name, s || { origin: w.location.origin, url: w.location.origin + "/page" });
      later(() => onConnect.fire(theirs));
      return mine;
    };
    const chrome = { runtime: { getManifest: () => ({ version: "0.1.0-test" }), connect } };
    const globals = { window: w, location: w.location, chrome, console, JSON, URL, structuredClone, setTimeout, clearTimeout };
    const page = vm.createContext({ ...globals, document: w.document });
    for (const file of contentScripts) vm.runInContext(readFileSync(extDir + file, "utf8"), page, { filename: file });
  };
  const console_ = { ...console, warn: (...a) => browser.warnings.push(a.join(" ")) };
  const worker = vm.createContext({
    chrome: { runtime, storage: { session: storage } },
    console: console_,
    JSON,
    URL,
    setTimeout,
    clearTimeout,
    Date: { now: () => Date.now() + offset },
    module: { exports: {} },
  });
  for (const file of ["limits.js", "background.js"]) {
    vm.runInContext(readFileSync(extDir + file, "utf8"), worker, { filename: file });
  }
  browser.background = worker.module.exports;
  browser.addPage(win, sender);
  return browser;
}

// connectNative starts the scripted host; its first message decides.
function connectNative(browser, runtime, name, host) {
  const [ext, nm] = portPair(name);
  const rec = { name, messages: [], port: nm };
  browser.started++;
  browser.peak = Math.max(browser.peak, ++browser.alive);
  // The host runs until either end closes the pipe.
  let running = true;
  for (const p of [ext, nm]) {
    const disconnect = p.disconnect;
    p.disconnect = () => {
      if (running) browser.alive--;
      running = false;
      disconnect();
    };
  }
  if (!host) {
    // As Chrome does when the host is not installed: lastError, then disconnect.
    later(() => {
      runtime.lastError = { message: "Specified native messaging host not found." };
      nm.disconnect();
      later(() => (runtime.lastError = undefined));
    });
    return ext;
  }
  let agent = null;
  nm.onMessage.addListener((m) => {
    rec.messages.push(m);
    if (rec.messages.length === 1 && m.query === "origins") {
      browser.queries.push(rec);
      nm.postMessage({ origins: browser.origins, firstContact: browser.firstContact });
      return nm.disconnect();
    }
    if (rec.messages.length === 1) {
      browser.native.push(rec);
      const r = host(m.origin);
      if (!r.ready) {
        nm.postMessage({ relay: { status: r.refused ? "refused" : "unavailable" } });
        return nm.disconnect();
      }
      agent = r.agent;
      return nm.postMessage({ relay: { status: "ready" } });
    }
    const reply = agent.handle(m);
    if (reply) nm.postMessage(reply);
  });
  return ext;
}
