// eidbridge content script: the bridge between a web page and the
// extension's background worker.
//
// The page (through the eidbridge JS client) talks to this script with
// window.postMessage; this script keeps one runtime port to the background
// worker per connection ("channel") the page opens. It never decides
// which site is asking: the background worker takes the origin from the
// browser (port.sender), so nothing the page writes can change it.
//
// Page → extension: {eidbridge: "page", type: "hello" | "open" | "send" | "close",
//                    channel?, message?}
// Extension → page: {eidbridge: "extension", type: "hello" | "opened" | "message" | "closed",
//                    channel?, message?, code?, reason?}
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];
  const MAX_CHANNELS = 8;
  const MAX_CHANNEL_LENGTH = 64;

  // Only secure pages get the bridge: https, plus http on loopback for
  // development (browsers treat both as secure contexts).
  const secure =
    window.isSecureContext &&
    (location.protocol === "https:" ||
      (location.protocol === "http:" && LOOPBACK.includes(location.hostname)));
  if (!secure) return;

  const version = api.runtime.getManifest().version;
  const ports = new Map(); // channel → runtime.Port

  // toPage posts to this page only, never to another origin.
  function toPage(msg) {
    window.postMessage({ eidbridge: "extension", ...msg }, location.origin);
  }

  // plain copies a value through JSON: only data crosses, never objects
  // of the page's (or, in Firefox, wrapped ones that do not clone).
  function plain(value) {
    return JSON.parse(JSON.stringify(value));
  }

  function open(channel) {
    if (ports.has(channel) || ports.size >= MAX_CHANNELS) {
      toPage({ type: "closed", channel, code: "INVALID_REQUEST", reason: "too many connections" });
      return;
    }
    const port = api.runtime.connect({ name: "eidbridge" });
    ports.set(channel, port);
    port.onMessage.addListener((m) => {
      if (m.type === "closed") ports.delete(channel); // no second "closed" below
      toPage({ ...plain(m), channel });
    });
    port.onDisconnect.addListener(() => {
      if (ports.get(channel) === port) {
        ports.delete(channel);
        // The background worker sends "closed" with a reason first when
        // it can; this covers the worker itself going away.
        toPage({ type: "closed", channel, code: "AGENT_UNAVAILABLE", reason: "disconnected" });
      }
    });
  }

  function close(channel) {
    const port = ports.get(channel);
    if (port) {
      ports.delete(channel);
      port.disconnect();
    }
  }

  window.addEventListener("message", (event) => {
    // Only this page's own messages, written for us.
    if (event.source !== window || event.origin !== location.origin) return;
    const d = event.data;
    if (!d || typeof d !== "object" || d.eidbridge !== "page") return;
    if (d.type === "hello") {
      toPage({ type: "hello", version });
      return;
    }
    const channel = d.channel;
    if (typeof channel !== "string" || channel === "" || channel.length > MAX_CHANNEL_LENGTH) return;
    switch (d.type) {
      case "open":
        open(channel);
        break;
      case "send":
        if (ports.has(channel) && d.message && typeof d.message === "object") {
          ports.get(channel).postMessage({ type: "send", message: plain(d.message) });
        }
        break;
      case "close":
        close(channel);
        break;
    }
  });
})();
