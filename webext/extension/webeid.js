// eidbridge content script, Web eID page protocol: pages written for
// web-eid.js reach the eidbridge agent through this extension as they
// reach the official Web eID extension (docs/webeid.md).
//
// web-eid.js posts {action: "web-eid:ACTION", …} to its own window and
// wants "ACTION-ack" within 1 s, then "ACTION-success" or "ACTION-failure"
// (shapes in webeid-shapes.js). Each request gets its own runtime port to
// the background worker, which takes the page's origin from the browser,
// as for our own protocol: the agent's allowlist, first-contact dialog
// and consent dialogs apply unchanged.
//
// Another Web eID extension (the official one) sees the same messages,
// and two answers mean two PIN prompts. So we ack at once but relay only
// WEBEID.standDown ms later, and stay quiet when another extension acked
// the request meanwhile; another's later ack cancels our relayed request.
(() => {
  "use strict";
  const api = globalThis.browser ?? globalThis.chrome;
  const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];
  // The same pages as content.js: https, and http on loopback.
  const secure =
    window.isSecureContext &&
    (location.protocol === "https:" || (location.protocol === "http:" && LOOPBACK.includes(location.hostname)));
  if (!secure) return;

  const extension = webeidVersion(WEBEID.extensionBase, api.runtime.getManifest().version);
  const running = new Map(); // action → the request we serve
  const ownAcks = new Map(); // action → our acks not yet seen back
  let next = 0;

  const toPage = (msg) => window.postMessage(msg, location.origin);

  function ack(action) {
    ownAcks.set(action, (ownAcks.get(action) || 0) + 1);
    toPage({ action: action + "-ack" });
  }

  // sawAck counts an ack on the page: each of ours comes back once; any
  // other is another extension's, which then serves the request alone.
  function sawAck(action) {
    const own = ownAcks.get(action) || 0;
    if (own > 0) ownAcks.set(action, own - 1);
    else if (running.has(action)) end(running.get(action), null);
  }

  function start(data) {
    const action = data.action;
    if (running.has(action)) return; // web-eid.js never sends one while the last waits
    const lang = pageLang(data.options, globalThis.document?.documentElement?.lang);
    const r = { action, data, lang, id: `webeid-${++next}`, port: null, sent: false, replied: false, timers: [] };
    running.set(action, r);
    ack(action);
    r.timers.push(setTimeout(() => relay(r), WEBEID.standDown));
    r.timers.push(setTimeout(() => end(r, timedOut(r)), deadline(data)));
  }

  // deadline is how long a request may take from its arrival: status
  // waits for the agent only, the others for the citizen.
  function deadline(data) {
    return data.action === "web-eid:status" ? WEBEID.statusTimeout : userTimeout(data.options);
  }

  function timedOut(r) {
    const code = r.action === "web-eid:status" ? "AGENT_UNAVAILABLE" : "USER_TIMEOUT";
    return failure(r, { code });
  }

  // failure is r's failure for one of our errors, in the page's language,
  // else the browser's.
  function failure(r, error) {
    return agentFailure(r.action, error, r.lang || globalThis.navigator?.language);
  }

  // end finishes r, answering msg to the page (null: staying quiet). A
  // request the agent still runs is cancelled first, closing its dialog.
  function end(r, msg) {
    if (running.get(r.action) !== r) return;
    running.delete(r.action);
    r.timers.forEach(clearTimeout);
    if (r.port) {
      try {
        if (r.sent && !r.replied) {
          r.port.postMessage({ type: "send", message: { id: r.id + "-cancel", op: "cancel", params: { id: r.id } } });
        }
        r.port.disconnect();
      } catch {
        // the worker is already gone, and the request with it
      }
    }
    if (msg) toPage(msg);
  }

  function relay(r) {
    if (running.get(r.action) !== r) return;
    const bad = versionProblem(r.action, r.data.libraryVersion, { extension });
    if (bad) return end(r, bad);
    const { req, missing } = agentRequest(r.data, r.id, r.lang);
    if (missing) return end(r, webeidFailure(r.action, "ERR_WEBEID_MISSING_PARAMETER", `${missing} is missing.`));
    const port = api.runtime.connect({ name: "eidbridge" });
    r.port = port;
    port.onMessage.addListener((m) => {
      if (!m) return;
      if (m.type === "opened") {
        r.sent = true;
        port.postMessage({ type: "send", message: req });
      } else if (m.type === "message" && m.message && m.message.id === r.id) {
        r.replied = true;
        end(r, answer(r, m.message));
      } else if (m.type === "closed") {
        r.port = null;
        end(r, failure(r, { code: m.code || "AGENT_UNAVAILABLE", message: m.reason }));
      }
    });
    port.onDisconnect.addListener(() => {
      r.port = null;
      end(r, failure(r, { code: "AGENT_UNAVAILABLE" }));
    });
  }

  function answer(r, reply) {
    if (reply.error) return failure(r, reply.error);
    const versions = { library: r.data.libraryVersion, extension };
    const ok = webeidSuccess(r.action, reply.result, versions);
    if (ok) return ok;
    return webeidFailure(r.action, "ERR_WEBEID_UNKNOWN_ERROR", webeidText(r.lang || globalThis.navigator?.language, "failed"));
  }

  window.addEventListener("message", (event) => {
    // Only the page's own messages: never a frame's or another window's.
    if (event.source !== window || event.origin !== location.origin) return;
    const d = event.data;
    const action = d && typeof d === "object" ? d.action : undefined;
    if (typeof action !== "string" || !action.startsWith("web-eid:")) return;
    if (action.endsWith("-ack")) return sawAck(action.slice(0, -4));
    if (!Object.hasOwn(WEBEID.ops, action)) return; // answers, warnings, unknown actions
    let data;
    try {
      data = JSON.parse(JSON.stringify(d)); // only data crosses, never the page's objects
    } catch {
      return;
    }
    start(data);
  });
})();
