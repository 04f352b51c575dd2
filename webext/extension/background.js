// eidbridge background worker (a service worker in Chrome and Edge, a
// background script in Firefox; the same file serves both).
//
// For each connection a page opens, the content script connects a
// runtime port here. This worker starts the native-messaging host
// `eidbridge nm-host` (host name be.eidbridge.nm), tells it the page's
// origin AS THE BROWSER REPORTS IT (port.sender), and then relays the
// agent protocol both ways unchanged. The agent checks that origin
// against its allowlist exactly as it checks a websocket's Origin header.
"use strict";

const api = globalThis.browser ?? globalThis.chrome;
const HOST = "be.eidbridge.nm";
const MAX_MESSAGE = 64 * 1024; // the agent's own limit per request
const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

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
  const ok = url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.includes(url.hostname));
  return ok ? url.origin : null;
}

// nativeError is why a native port closed, as the browser says it.
function nativeError(native) {
  const e = (native && native.error) || (api.runtime && api.runtime.lastError);
  return (e && e.message) || "";
}

// relay joins one page port to one native host process.
function relay(port) {
  const origin = senderOrigin(port.sender);
  if (!origin) {
    port.postMessage({ type: "closed", code: "INVALID_REQUEST", reason: "not a secure page" });
    port.disconnect();
    return;
  }
  let opened = false;
  let done = false;
  const native = api.runtime.connectNative(HOST);

  function finish(code, reason) {
    if (done) return;
    done = true;
    try {
      port.postMessage({ type: "closed", code, reason });
      port.disconnect();
    } catch {
      // the page is already gone
    }
    native.disconnect();
  }

  native.onMessage.addListener((m) => {
    if (m && m.relay) {
      // The host's own status: the agent connection is up, or not.
      if (m.relay.status === "ready" && !opened) {
        opened = true;
        port.postMessage({ type: "opened" });
      } else {
        finish("AGENT_UNAVAILABLE", m.relay.reason || "the eidbridge agent is not available");
      }
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

  port.onMessage.addListener((m) => {
    if (!opened || done || !m || m.type !== "send") return;
    const msg = m.message;
    if (!msg || typeof msg !== "object" || Array.isArray(msg) || JSON.stringify(msg).length > MAX_MESSAGE) {
      finish("INVALID_REQUEST", "the page sent a message that is not a request");
      return;
    }
    native.postMessage(msg);
  });
  port.onDisconnect.addListener(() => {
    done = true;
    native.disconnect();
  });

  // The first message to the host says which site this is.
  native.postMessage({ origin });
}

api.runtime.onConnect.addListener((port) => {
  if (port.name === "eidbridge") relay(port);
});

// Exported for the unit tests (node), harmless in the browser.
if (typeof module === "object" && module) module.exports = { senderOrigin, relay };
