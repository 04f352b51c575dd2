// eidbridge background worker (a service worker in Chrome and Edge, a
// background script in Firefox; the same file serves both).
//
// For each connection a page opens, the content script connects a
// runtime port here. This worker starts the native-messaging host
// `eidbridge nm-host` (host name be.eidbridge.nm), tells it the page's
// origin AS THE BROWSER REPORTS IT (port.sender), and then relays the
// agent protocol both ways unchanged. The agent checks that origin
// against its allowlist exactly as it checks a websocket's Origin header.
// limits.js decides first whether a connection may start a host at all.
"use strict";

// Chrome's service worker loads limits.js here; Firefox lists it first.
if (typeof importScripts === "function") importScripts("limits.js");

const api = globalThis.browser ?? globalThis.chrome;
const HOST = "be.eidbridge.nm";
const MAX_MESSAGE = 64 * 1024; // the agent's own limit per request
const TOO_MANY = "Too many pages are using eidbridge at the same time. Close some of them and try again.";
const limits = createLimits(api.storage && api.storage.session, queryOrigins);

// senderOrigin is the origin of the page behind a port, from the browser:
// sender.origin where the browser gives it, else the origin of sender.url.
// Only https, and http on loopback (development), are accepted.
function senderOrigin(sender) {
  let origin = sender && sender.origin;
  if (!origin && sender && sender.url) {
    try {
      origin = new URL(sender.url).origin;
    } catch {
      return null;
    }
  }
  if (typeof origin !== "string" || origin === "null") return null;
  let url;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  const ok = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.includes(url.hostname));
  return ok ? url.origin : null;
}

// nativeError is why a native port closed, as the browser says it.
function nativeError(native) {
  const e = (native && native.error) || (api.runtime && api.runtime.lastError);
  return (e && e.message) || "";
}

// queryOrigins asks a short-lived host for the allowlist of the agent's
// configuration and whether it asks about other sites; null when it
// cannot (not installed, no answer).
function queryOrigins() {
  return new Promise((resolve) => {
    const native = api.runtime.connectNative(HOST);
    let timer;
    const done = (patterns) => {
      if (timer === null) return;
      clearTimeout(timer);
      timer = null;
      native.disconnect();
      resolve(patterns);
    };
    timer = setTimeout(() => done(null), LIMITS.queryTimeout);
    native.onMessage.addListener((m) => {
      const ok = m && Array.isArray(m.origins) && m.origins.every((o) => typeof o === "string");
      done(ok ? { patterns: m.origins, firstContact: m.firstContact === true } : null);
    });
    native.onDisconnect.addListener(() => {
      const why = nativeError(native);
      if (why) console.warn("eidbridge native host:", why);
      done(null);
    });
    native.postMessage({ query: "origins" });
  });
}

// refuse closes a page port before any host started.
function refuse(port, code, reason) {
  port.postMessage({ type: "closed", code, reason });
  port.disconnect();
}

// relay joins one page port to one native host process, once the limits
// admit it.
function relay(port) {
  const origin = senderOrigin(port.sender);
  if (!origin) return refuse(port, "INVALID_REQUEST", "not a secure page");
  const slot = limits.admit(origin, port.sender.tab ? port.sender.tab.id : -1);
  if (!slot) return refuse(port, "RATE_LIMITED", TOO_MANY);
  let native = null;
  let opened = false;
  let done = false;

  function end() {
    done = true;
    limits.release(slot);
    if (native) native.disconnect();
  }

  function finish(code, reason) {
    if (done) return;
    try {
      port.postMessage({ type: "closed", code, reason });
      port.disconnect();
    } catch {
      // the page is already gone
    }
    end();
  }

  function start() {
    native = api.runtime.connectNative(HOST);
    native.onMessage.addListener((m) => {
      if (m && m.relay) {
        // The host's own status: the agent connection is up, or not.
        if (m.relay.status === "ready" && !opened) {
          opened = true;
          port.postMessage({ type: "opened" });
          return;
        }
        // Refused and not running look the same to the page.
        if (m.relay.status === "refused") limits.refused(origin);
        finish("AGENT_UNAVAILABLE", "eidbridge is not available");
        return;
      }
      port.postMessage({ type: "message", message: m });
    });
    native.onDisconnect.addListener(() => {
      // Not installed, not running, or the agent went away: to the page
      // all mean the same, and the details go to the extension's console.
      const why = nativeError(native);
      if (why) console.warn("eidbridge native host:", why);
      finish("AGENT_UNAVAILABLE", opened ? "the connection to eidbridge was lost" : "eidbridge is not available");
    });
    // The first message to the host says which site this is.
    native.postMessage({ origin });
  }

  port.onMessage.addListener((m) => {
    if (!opened || done || !m || m.type !== "send") return;
    const msg = m.message;
    if (!msg || typeof msg !== "object" || Array.isArray(msg) || JSON.stringify(msg).length > MAX_MESSAGE) {
      finish("INVALID_REQUEST", "the page sent a message that is not a request");
      return;
    }
    native.postMessage(msg);
  });
  port.onDisconnect.addListener(() => done || end());

  limits.check(origin).then((code) => {
    if (done) return;
    if (code) finish(code, code === "RATE_LIMITED" ? TOO_MANY : "eidbridge is not available");
    else start();
  });
}

api.runtime.onConnect.addListener((port) => {
  if (port.name === "eidbridge") relay(port);
});

// Exported for the unit tests (node), harmless in the browser.
if (typeof module === "object" && module) module.exports = { senderOrigin, relay, allowedBy, LIMITS };
