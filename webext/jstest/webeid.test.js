// The extension answers web-eid.js's page protocol: acks within the
// library's handshake, answers with exactly the fields the library reads,
// Web eID error codes for ours, versions that pass the library's checks.

import assert from "node:assert/strict";
import { test } from "node:test";

import { AGENT_VERSION, LIBRARY, NONCE, SEMVER, TEXT, ask, webeidPage } from "./webeid-page.js";

const CERT = "MIICZzCCAe2gAwIBAgIQWD4L";
const ECC = (hashFunction) => ({ cryptoAlgorithm: "ECC", hashFunction, paddingScheme: "NONE" });
const TOKEN = {
  unverifiedCertificate: "MIICUzCCAdig",
  algorithm: "ES384",
  signature: "PirTOTMFll58",
  format: "web-eid:1.0",
  appVersion: "https://github.com/eidbridge/eidbridge/releases/tag/0.4.0",
};

// compatible is the check of web-eid's extension on status: neither the
// extension's nor the native application's major is behind.
function compatible({ library, extension, nativeApp }) {
  const major = (v) => Number(SEMVER.exec(v)[1]);
  return major(extension) >= major(library) && major(nativeApp) >= Math.max(major(library), major(extension));
}

test("status: an ack within the handshake, then SemVer versions that pass the library's checks", async () => {
  const page = webeidPage();
  const { ackDelay, answer } = await ask(page, { action: "web-eid:status" });
  assert.ok(ackDelay !== null && ackDelay < 1000, `ack after ${ackDelay} ms`);
  assert.deepEqual(answer, {
    action: "web-eid:status-success",
    library: LIBRARY,
    extension: "2.5.0+eidbridge.0.1.0-test",
    nativeApp: `2.9.0+eidbridge.${AGENT_VERSION}`,
  });
  for (const v of [answer.extension, answer.nativeApp]) assert.match(v, SEMVER);
  assert.ok(compatible(answer), "web-eid would ask for an update");
  assert.deepEqual(page.agent.requests.map((r) => r.op), ["version"]);
});

test("authenticate: the five token fields, the browser's origin, the page's language", async () => {
  const page = webeidPage({
    sender: { origin: "https://mijn.belgium.be", url: "https://mijn.belgium.be/login" },
    handlers: { authenticate: { result: { ...TOKEN, unverifiedSigningCertificate: "extra" } } },
  });
  const options = { lang: "fr-BE", userInteractionTimeout: 60000 };
  const msg = { action: "web-eid:authenticate", challengeNonce: NONCE, options, origin: "https://evil.example" };
  const { ackDelay, answer } = await ask(page, msg);
  assert.ok(ackDelay < 1000, `ack after ${ackDelay} ms`);
  assert.deepEqual(answer, { action: "web-eid:authenticate-success", ...TOKEN });
  assert.deepEqual(page.origins, ["https://mijn.belgium.be"], "the host was not told the browser's origin");
  const req = page.agent.requests[0];
  assert.deepEqual(req, { id: req.id, op: "authenticate", params: { challengeNonce: NONCE }, lang: "fr-BE" });
});

test("get-signing-certificate and sign: the agent's algorithms and signature, in Web eID's shapes", async () => {
  const algs = ["SHA-256", "SHA-384", "SHA-512"].map(ECC);
  const page = webeidPage({
    lang: "nl",
    handlers: {
      getSigningCertificate: { result: { certificate: CERT, supportedSignatureAlgorithms: algs } },
      sign: { result: { signature: "q0D3", signatureAlgorithm: ECC("SHA-384"), extra: 1 } },
    },
  });
  let { answer } = await ask(page, { action: "web-eid:get-signing-certificate", options: {} });
  assert.deepEqual(answer, { action: "web-eid:get-signing-certificate-success", certificate: CERT, supportedSignatureAlgorithms: algs });
  const hash = "LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=";
  ({ answer } = await ask(page, { action: "web-eid:sign", certificate: CERT, hash, hashFunction: "SHA-384" }));
  assert.deepEqual(answer, { action: "web-eid:sign-success", signature: "q0D3", signatureAlgorithm: ECC("SHA-384") });
  const [cert, sign] = page.agent.requests;
  assert.deepEqual(cert, { id: cert.id, op: "getSigningCertificate", lang: "nl" }, "the page's <html lang> did not reach the agent");
  assert.deepEqual(sign.params, { hash, hashFunction: "SHA-384", certificate: CERT });
});

// Our codes (docs/protocol.md §4) and the Web eID code each becomes (docs/webeid.md).
const MAPPING = {
  USER_CANCELLED: "ERR_WEBEID_USER_CANCELLED",
  USER_TIMEOUT: "ERR_WEBEID_USER_TIMEOUT",
  ACTION_PENDING: "ERR_WEBEID_ACTION_PENDING",
  INVALID_REQUEST: "ERR_WEBEID_NATIVE_INVALID_ARGUMENT",
  UNKNOWN_OPERATION: "ERR_WEBEID_NATIVE_INVALID_ARGUMENT",
  CERTIFICATE_MISMATCH: "ERR_WEBEID_NATIVE_INVALID_ARGUMENT",
  NO_READER: "ERR_WEBEID_NATIVE_FATAL",
  NO_CARD: "ERR_WEBEID_NATIVE_FATAL",
  UNSUPPORTED_CARD: "ERR_WEBEID_NATIVE_FATAL",
  CARD_REMOVED: "ERR_WEBEID_NATIVE_FATAL",
  PIN_BLOCKED: "ERR_WEBEID_NATIVE_FATAL",
  BUSY: "ERR_WEBEID_NATIVE_FATAL",
  RATE_LIMITED: "ERR_WEBEID_NATIVE_FATAL",
  INTERNAL: "ERR_WEBEID_NATIVE_FATAL",
  SOMETHING_NEW: "ERR_WEBEID_UNKNOWN_ERROR",
};

test("each of our errors becomes the Web eID code the library knows, with ours beside it", async () => {
  await Promise.all(
    Object.entries(MAPPING).map(async ([ours, theirs]) => {
      const agentSays = `the agent says ${ours}`;
      const page = webeidPage({ handlers: { authenticate: { error: { code: ours, message: agentSays } } } });
      const { answer } = await ask(page, { action: "web-eid:authenticate", challengeNonce: NONCE });
      const message = TEXT.en[ours] || agentSays; // a bad argument keeps the agent's words
      assert.deepEqual(answer, { action: "web-eid:authenticate-failure", error: { code: theirs, message, eidbridgeCode: ours } }, ours);
    }),
  );
});

test("what the citizen may read comes in the page's language; a site's bug stays in the agent's English", async () => {
  const keys = Object.keys(TEXT.en).sort();
  for (const lang of ["nl", "fr", "de"]) {
    assert.deepEqual(Object.keys(TEXT[lang]).sort(), keys, `${lang} lacks a message`);
    for (const k of keys) assert.notEqual(TEXT[lang][k], TEXT.en[k], `${lang} ${k} is not translated`);
  }
  const cases = [["nl-BE", "nl"], ["fr", "fr"], ["de", "de"], ["en", "en"], ["es", "en"]];
  await Promise.all(
    cases.map(async ([lang, want]) => {
      const page = webeidPage({ lang, handlers: { authenticate: { error: { code: "NO_CARD", message: "no card" } } } });
      const { answer } = await ask(page, { action: "web-eid:authenticate", challengeNonce: NONCE });
      assert.equal(answer.error.message, TEXT[want].NO_CARD, lang);
    }),
  );
  const page = webeidPage({ lang: "nl", handlers: { sign: { error: { code: "INVALID_REQUEST", message: "hash is 3 bytes long" } } } });
  const { answer } = await ask(page, { action: "web-eid:sign", certificate: CERT, hash: "aGFzaA==", hashFunction: "SHA-256" });
  assert.equal(answer.error.message, "hash is 3 bytes long");
});

test("no agent, or one that refuses the site: ERR_WEBEID_NATIVE_UNAVAILABLE", async () => {
  for (const opts of [{ installed: false }, { ready: false }]) {
    const page = webeidPage(opts);
    const { answer } = await ask(page, { action: "web-eid:authenticate", challengeNonce: NONCE });
    assert.equal(answer.action, "web-eid:authenticate-failure");
    assert.equal(answer.error.code, "ERR_WEBEID_NATIVE_UNAVAILABLE", JSON.stringify(opts));
    assert.equal(answer.error.eidbridgeCode, "AGENT_UNAVAILABLE");
  }
});

test("userInteractionTimeout: ERR_WEBEID_USER_TIMEOUT, and the agent's dialog is cancelled", async () => {
  const page = webeidPage({ handlers: { sign: null } }); // the citizen looks at the dialog
  const msg = { action: "web-eid:sign", certificate: CERT, hash: "aGFzaA==", hashFunction: "SHA-256" };
  const started = Date.now();
  const { answer } = await ask(page, { ...msg, options: { userInteractionTimeout: 500 } });
  assert.equal(answer.error.code, "ERR_WEBEID_USER_TIMEOUT");
  assert.ok(Date.now() - started < 1500, `timed out after ${Date.now() - started} ms`);
  await new Promise((r) => setTimeout(r, 30));
  const [sign, cancel] = page.agent.requests;
  assert.deepEqual(cancel && cancel.op, "cancel", "the agent was not told to close its dialog");
  assert.deepEqual(cancel.params, { id: sign.id });
  assert.equal(page.browser.alive, 0, "the native host still runs");
});

test("versions: a newer library major, or none, is refused before the agent is asked", async () => {
  const page = webeidPage();
  let { answer } = await ask(page, { action: "web-eid:authenticate", challengeNonce: NONCE, libraryVersion: "3.0.0" });
  assert.equal(answer.error.code, "ERR_WEBEID_VERSION_MISMATCH");
  assert.deepEqual(answer.error.requiresUpdate, { extension: true, nativeApp: true });
  for (const bad of ["2.1", "v2.1.0", undefined]) {
    ({ answer } = await ask(page, { action: "web-eid:status", libraryVersion: bad }));
    assert.equal(answer.error.code, "ERR_WEBEID_VERSION_INVALID", String(bad));
  }
  ({ answer } = await ask(page, { action: "web-eid:status", libraryVersion: "1.0.0" }));
  assert.equal(answer.action, "web-eid:status-success", "an older library major is refused");
  assert.equal(page.browser.native.length, 1, "a host started for a refused library");
});

test("missing parameters: ERR_WEBEID_MISSING_PARAMETER, and no host starts", async () => {
  const page = webeidPage();
  for (const msg of [
    { action: "web-eid:authenticate" },
    { action: "web-eid:sign", certificate: CERT, hashFunction: "SHA-256" },
  ]) {
    const { answer } = await ask(page, msg);
    assert.equal(answer.error.code, "ERR_WEBEID_MISSING_PARAMETER", JSON.stringify(msg));
  }
  assert.equal(page.browser.started, 0);
});

test("language: options.lang first, then <html lang>; a tag that is not one is left out", async () => {
  const cases = [
    [{ lang: "de" }, "nl-BE", "de"],
    [{}, "nl-BE", "nl-BE"],
    [{ lang: "<script>" }, "", undefined],
    [{ lang: "x".repeat(40) }, "fr", "fr"],
  ];
  await Promise.all(
    cases.map(async ([options, htmlLang, want]) => {
      const page = webeidPage({ lang: htmlLang, handlers: { authenticate: { result: TOKEN } } });
      await ask(page, { action: "web-eid:authenticate", challengeNonce: NONCE, options });
      assert.equal(page.agent.requests[0].lang, want, JSON.stringify(options));
    }),
  );
});

test("an agent answer without the fields web-eid.js reads is ERR_WEBEID_UNKNOWN_ERROR, never a partial success", async () => {
  const page = webeidPage({ handlers: { authenticate: { result: { ...TOKEN, signature: "" } } } });
  const { answer } = await ask(page, { action: "web-eid:authenticate", challengeNonce: NONCE });
  assert.deepEqual(answer, { action: "web-eid:authenticate-failure", error: { code: "ERR_WEBEID_UNKNOWN_ERROR", message: TEXT.en.failed } });
});
