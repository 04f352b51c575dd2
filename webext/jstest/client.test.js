// Unit tests of the JS client over the websocket transport, with a mock
// WebSocket playing the agent.

import assert from "node:assert/strict";
import { test } from "node:test";

import { connect, EidbridgeError, INSTALL_URL } from "../client/eidbridge.js";
import { fakeAgent, mockWebSocket, mockWindow, tick } from "./harness.js";

const NONCE = "cGVyc29uYWwgY2hhbGxlbmdlIG5vbmNlIDMyIGJ5dGU=";
const fast = { ack: 20, agent: 60, user: 100 };

async function direct(agent, opts = {}) {
  const WS = mockWebSocket(agent, opts.mode);
  const c = await connect({ transport: "websocket", WebSocket: WS, timeouts: fast, ...opts });
  return { c, WS };
}

test("authenticate sends the nonce and resolves to the agent's token", async () => {
  const token = { format: "web-eid:1.0", algorithm: "ES384", signature: "c2ln", unverifiedCertificate: "Y2VydA==" };
  const agent = fakeAgent({ authenticate: { result: token } });
  const { c, WS } = await direct(agent);
  assert.equal(WS.last.url, "ws://127.0.0.1:51950/v1");
  assert.equal(c.transport, "websocket");
  assert.deepEqual(await c.authenticate(NONCE), token);
  assert.deepEqual(agent.requests[0].params, { challengeNonce: NONCE });
  assert.equal(agent.requests[0].op, "authenticate");
});

test("authenticate asks for a web-eid:1.1 token only when told, and refuses other formats", async () => {
  const agent = fakeAgent({ authenticate: { result: { format: "web-eid:1.1" } } });
  const { c } = await direct(agent);
  await c.authenticate(NONCE, { format: "web-eid:1.1" });
  assert.deepEqual(agent.requests[0].params, { challengeNonce: NONCE, format: "web-eid:1.1" });
  await assert.rejects(c.authenticate(NONCE, { format: "web-eid:2.0" }), (e) => e.code === "INVALID_ARGUMENT");
  assert.equal(agent.requests.length, 1, "a bad format reached the agent");
});

test("the port and url options choose the websocket address", async () => {
  const { WS } = await direct(fakeAgent(), { port: 40000 });
  assert.equal(WS.last.url, "ws://127.0.0.1:40000/v1");
  const { WS: WS2 } = await direct(fakeAgent(), { url: "ws://[::1]:1234/v1" });
  assert.equal(WS2.last.url, "ws://[::1]:1234/v1");
});

test("an agent error becomes an EidbridgeError with the agent's code and message", async () => {
  const agent = fakeAgent({ authenticate: { error: { code: "USER_CANCELLED", message: "The operation was cancelled." } } });
  const { c } = await direct(agent);
  await assert.rejects(c.authenticate(NONCE), (e) => {
    assert.ok(e instanceof EidbridgeError && e instanceof Error);
    assert.equal(e.code, "USER_CANCELLED");
    assert.equal(e.message, "The operation was cancelled.");
    return true;
  });
});

test("no agent (refused or silent) is AGENT_UNAVAILABLE with the install link", async () => {
  for (const mode of ["refuse", "hang"]) {
    const started = Date.now();
    await assert.rejects(direct(fakeAgent(), { mode, installUrl: "https://example.be/install" }), (e) => {
      assert.equal(e.code, "AGENT_UNAVAILABLE", mode);
      assert.equal(e.installUrl, "https://example.be/install");
      assert.match(e.message, /https:\/\/example\.be\/install/);
      return true;
    });
    if (mode === "hang") assert.ok(Date.now() - started >= fast.agent, "gave up before the agent timeout");
  }
  await assert.rejects(direct(fakeAgent(), { mode: "refuse" }), (e) => e.installUrl === INSTALL_URL);
});

test("a silent agent times out: agent timeout for status, user timeout plus a cancel for a dialog", async () => {
  const agent = fakeAgent({ status: null, authenticate: null, cancel: null });
  const { c } = await direct(agent);
  let t0 = Date.now();
  await assert.rejects(c.status(), (e) => e.code === "ACTION_TIMEOUT");
  assert.ok(Date.now() - t0 >= fast.agent);
  t0 = Date.now();
  await assert.rejects(c.authenticate(NONCE), (e) => e.code === "ACTION_TIMEOUT");
  assert.ok(Date.now() - t0 >= fast.user + fast.agent, "the user timeout is too short");
  const cancel = agent.requests.find((r) => r.op === "cancel");
  const auth = agent.requests.find((r) => r.op === "authenticate");
  assert.deepEqual(cancel?.params, { id: auth.id }, "the timed-out dialog is not cancelled");
});

test("replies in another order resolve the right requests", async () => {
  const held = [];
  const agent = fakeAgent({ status: (r) => (held.push(r), null), version: (r) => (held.push(r), null) });
  const { c, WS } = await direct(agent);
  const st = c.status();
  const ver = c.version();
  await tick();
  WS.last.push({ id: held[1].id, result: "v" });
  WS.last.push({ id: held[0].id, result: "s" });
  assert.equal(await st, "s");
  assert.equal(await ver, "v");
});

test("events reach their listeners until off", async () => {
  const { c, WS } = await direct(fakeAgent());
  const seen = [];
  const fn = (d) => seen.push(d);
  c.on("cardInserted", fn);
  WS.last.push({ event: "cardInserted", data: { reader: "R", cardType: "beid-1.8" } });
  WS.last.push({ event: "cardRemoved", data: { reader: "R" } });
  await tick();
  c.off("cardInserted", fn);
  WS.last.push({ event: "cardInserted", data: { reader: "R2" } });
  await tick();
  assert.deepEqual(seen, [{ reader: "R", cardType: "beid-1.8" }]);
  assert.throws(() => c.on("cardinserted", fn), (e) => e.code === "INVALID_ARGUMENT");
});

test("a lost connection rejects what is pending and says disconnected", async () => {
  const { c, WS } = await direct(fakeAgent({ readIdentity: null }));
  let disconnected = 0;
  c.on("disconnected", () => disconnected++);
  const p = c.readIdentity(["identity"]);
  await tick();
  WS.last.close();
  await assert.rejects(p, (e) => e.code === "AGENT_UNAVAILABLE" && Boolean(e.installUrl));
  await assert.rejects(c.status(), (e) => e.code === "AGENT_UNAVAILABLE");
  assert.equal(disconnected, 1);
});

test("cancel closes the running dialog, and is a no-op without one", async () => {
  let running = null;
  const agent = fakeAgent({
    sign: (r) => ((running = r), null),
    cancel: (r) => {
      const found = running && r.params.id === running.id;
      if (found) queueMicrotask(() => WS.last.push({ id: running.id, error: { code: "USER_CANCELLED", message: "x" } }));
      return { id: r.id, result: { cancelled: Boolean(found) } };
    },
  });
  const { c, WS } = await direct(agent);
  assert.equal(await c.cancel(), false);
  assert.equal(agent.requests.length, 0, "cancel without an operation reached the agent");
  const signing = c.sign("Y2VydA==", new Uint8Array([1, 2, 3]), "SHA-256");
  await tick();
  assert.equal(await c.cancel(), true);
  await assert.rejects(signing, (e) => e.code === "USER_CANCELLED");
  assert.deepEqual(running.params, { hash: "AQID", hashFunction: "SHA-256", certificate: "Y2VydA==" });
});

test("bad arguments reject before anything is sent", async () => {
  const agent = fakeAgent();
  const { c } = await direct(agent);
  await assert.rejects(c.sign("Y2VydA==", "AQID", "SHA-1"), (e) => e.code === "INVALID_ARGUMENT");
  await assert.rejects(c.sign("Y2VydA==", 42, "SHA-256"), (e) => e.code === "INVALID_ARGUMENT");
  await assert.rejects(c.authenticate(42), (e) => e.code === "INVALID_ARGUMENT");
  await assert.rejects(c.readIdentity([]), (e) => e.code === "INVALID_ARGUMENT");
  await assert.rejects(connect({ transport: "pigeon" }), (e) => e.code === "INVALID_ARGUMENT");
  assert.equal(agent.requests.length, 0);
});

test("auto without an extension falls back to the websocket after the ack timeout", async () => {
  const win = mockWindow();
  const WS = mockWebSocket(fakeAgent());
  const t0 = Date.now();
  const c = await connect({ window: win, WebSocket: WS, timeouts: fast });
  assert.equal(c.transport, "websocket");
  assert.ok(Date.now() - t0 >= fast.ack);
  assert.equal(win.posted[0].data.type, "hello");
  assert.equal(win.posted[0].targetOrigin, "https://site.example", "hello posted to another origin");
});

test("transport extension without the extension is EXTENSION_UNAVAILABLE", async () => {
  await assert.rejects(connect({ transport: "extension", window: mockWindow(), timeouts: fast }), (e) => {
    return e.code === "EXTENSION_UNAVAILABLE" && Boolean(e.installUrl);
  });
});

test("a hello from another window or origin does not pass for the extension", async () => {
  const win = mockWindow();
  const hello = { eidbridge: "extension", type: "hello", version: "9" };
  win.addEventListener("message", (ev) => {
    if (ev.data.eidbridge !== "page") return;
    win.dispatch({ source: {}, origin: win.location.origin, data: hello });
    win.dispatch({ source: win, origin: "https://evil.example", data: hello });
  });
  await assert.rejects(connect({ transport: "extension", window: win, timeouts: fast }), (e) => e.code === "EXTENSION_UNAVAILABLE");
});

test("the page's language goes with each operation that shows a dialog", async () => {
  const agent = fakeAgent();
  const win = mockWindow();
  win.document = { documentElement: { lang: "nl-BE" } };
  const eid = await connect({ window: win, transport: "websocket", WebSocket: mockWebSocket(agent) });
  await eid.authenticate("x".repeat(44));
  await eid.version();
  const auth = agent.requests.find((r) => r.op === "authenticate");
  const version = agent.requests.find((r) => r.op === "version");
  assert.equal(auth.lang, "nl-BE");
  assert.equal(version.lang, undefined);
  const fr = await connect({ window: win, transport: "websocket", WebSocket: mockWebSocket(agent), lang: "fr" });
  await fr.readIdentity(["identity"]);
  assert.equal(agent.requests.at(-1).lang, "fr");
});

test("sign passes what is signed, for the PIN dialog", async () => {
  const agent = fakeAgent();
  const eid = await connect({ window: mockWindow(), transport: "websocket", WebSocket: mockWebSocket(agent) });
  await eid.sign("AAAA", new Uint8Array(32), "SHA-256", { description: "Contract 42" });
  assert.equal(agent.requests.at(-1).params.description, "Contract 42");
  await eid.sign("AAAA", new Uint8Array(32), "SHA-256");
  assert.equal(agent.requests.at(-1).params.description, undefined);
});
