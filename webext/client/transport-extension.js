// The extension transport: the page talks to the eidbridge browser
// extension's content script with window.postMessage, and the extension
// reaches the agent through native messaging (no local-network prompt).
// The extension, not the page, tells the agent which site is asking.
//
// Page → extension: {eidbridge: "page", type: "hello" | "open" | "send" | "close", channel?, message?}
// Extension → page: {eidbridge: "extension", type: "hello" | "opened" | "message" | "closed",
//                    channel?, version?, message?, code?, reason?}

import { EidbridgeError, agentUnavailable } from "./errors.js";

// fromExtension filters the window's messages down to the extension's
// answers on this page.
function fromExtension(win, event) {
  const d = event.data;
  return (
    event.source === win &&
    event.origin === win.location.origin &&
    d !== null &&
    typeof d === "object" &&
    d.eidbridge === "extension"
  );
}

function post(win, msg) {
  win.postMessage({ eidbridge: "page", ...msg }, win.location.origin);
}

/**
 * detectExtension resolves to the extension's version, or null when no
 * extension answered within timeout ms (the "ack" timeout).
 */
export function detectExtension(win, timeout) {
  return new Promise((resolve) => {
    const onMessage = (event) => {
      if (!fromExtension(win, event) || event.data.type !== "hello") return;
      done(String(event.data.version || ""));
    };
    const timer = setTimeout(() => done(null), timeout);
    function done(version) {
      clearTimeout(timer);
      win.removeEventListener("message", onMessage);
      resolve(version);
    }
    win.addEventListener("message", onMessage);
    post(win, { type: "hello" });
  });
}

function newChannel() {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * openExtension opens a connection to the agent through the extension and
 * resolves to a transport once the agent accepted it, within timeout ms.
 */
export function openExtension(win, timeout, installUrl) {
  const channel = newChannel();
  return new Promise((resolve, reject) => {
    let open = false;
    const transport = {
      kind: "extension",
      onmessage: () => {},
      onclose: () => {},
      send: (message) => post(win, { type: "send", channel, message }),
      close: () => {
        win.removeEventListener("message", onMessage);
        post(win, { type: "close", channel });
      },
    };
    const timer = setTimeout(() => {
      transport.close();
      reject(agentUnavailable(installUrl));
    }, timeout);
    function onMessage(event) {
      if (!fromExtension(win, event) || event.data.channel !== channel) return;
      const d = event.data;
      if (d.type === "opened" && !open) {
        open = true;
        clearTimeout(timer);
        resolve(transport);
      } else if (d.type === "message" && open) {
        transport.onmessage(d.message);
      } else if (d.type === "closed") {
        clearTimeout(timer);
        win.removeEventListener("message", onMessage);
        if (open) transport.onclose();
        else reject(closedError(d, installUrl));
      }
    }
    win.addEventListener("message", onMessage);
    post(win, { type: "open", channel });
  });
}

// closedError turns the extension's refusal into an error: the agent not
// being available is the usual one.
function closedError(d, installUrl) {
  if (!d.code || d.code === "AGENT_UNAVAILABLE") return agentUnavailable(installUrl);
  return new EidbridgeError(String(d.code), String(d.reason || "The eidbridge extension refused the connection."));
}
