// A Web eID relying party's page in miniature: it speaks web-eid.js's
// message protocol (docs/webeid.md) to whichever extension answers, with
// the library's handshake rule (an ack within 1 s, else "extension
// unavailable"), and logs in through the test site's server, which
// verifies the token. Every answer seen is kept, so a test can count them.
"use strict";
(() => {
  const LIBRARY_VERSION = "2.1.0";
  const ACK_TIMEOUT = 1000;
  const NATIVE_TIMEOUT = 5000;
  const answers = [];
  const pending = new Map(); // action → the request waiting for its answer

  window.addEventListener("message", (event) => {
    if (event.source !== window || event.origin !== location.origin) return;
    const m = /^(web-eid:[a-z-]+?)-(ack|success|failure)$/.exec((event.data && event.data.action) || "");
    if (!m) return;
    const [, action, kind] = m;
    if (kind !== "ack") answers.push(event.data);
    const p = pending.get(action);
    if (!p) return;
    if (kind === "ack") {
      clearTimeout(p.ackTimer);
      if (p.ackDelay === undefined) p.ackDelay = performance.now() - p.sent;
      return;
    }
    p.done(kind === "success" ? { ok: true, reply: event.data } : { ok: false, error: event.data.error });
  });

  // send posts one request as web-eid.js does and resolves to
  // {ok, reply | error, ackDelay}; it never rejects.
  function send(action, fields, timeout) {
    if (pending.has(action)) return Promise.resolve({ ok: false, error: { code: "ERR_WEBEID_ACTION_PENDING" } });
    return new Promise((resolve) => {
      const p = { sent: performance.now() };
      p.done = (result) => {
        clearTimeout(p.ackTimer);
        clearTimeout(p.replyTimer);
        pending.delete(action);
        resolve({ ...result, ackDelay: p.ackDelay });
      };
      const fail = (code) => () => p.done({ ok: false, error: { code, message: "(the page gave up)" } });
      p.ackTimer = setTimeout(fail("ERR_WEBEID_EXTENSION_UNAVAILABLE"), ACK_TIMEOUT);
      p.replyTimer = setTimeout(fail("ERR_WEBEID_ACTION_TIMEOUT"), timeout);
      pending.set(action, p);
      window.postMessage({ action, libraryVersion: LIBRARY_VERSION, ...fields }, "*");
    });
  }

  const userTime = (options) => ACK_TIMEOUT + NATIVE_TIMEOUT + ((options && options.userInteractionTimeout) || 120000);

  async function post(path, body) {
    const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    return { status: r.status, body: await r.json() };
  }

  // login asks the server for a nonce, authenticates, and has the server
  // verify the token; name is the citizen the server verified.
  async function login(options) {
    const { body } = await post("/challenge", {});
    const res = await send("web-eid:authenticate", { challengeNonce: body.nonce, options }, userTime(options));
    if (!res.ok) return res;
    const r = res.reply;
    const token = { unverifiedCertificate: r.unverifiedCertificate, algorithm: r.algorithm, signature: r.signature, format: r.format, appVersion: r.appVersion };
    const verified = await post("/login", { nonce: body.nonce, token });
    return { ...res, name: verified.body.name || "", serverError: verified.body.error || "" };
  }

  window.webeidPage = {
    answers,
    status: () => send("web-eid:status", {}, ACK_TIMEOUT + NATIVE_TIMEOUT),
    login,
    certificate: (options) => send("web-eid:get-signing-certificate", { options }, 2 * userTime(options)),
    sign: (certificate, hash, hashFunction, options) =>
      send("web-eid:sign", { certificate, hash, hashFunction, options }, 2 * userTime(options)),
  };
})();
