// The client through the extension's real content.js and background.js,
// with a scripted native-messaging host playing `eidbridge nm-host`.

import assert from "node:assert/strict";
import { test } from "node:test";

import { connect } from "../client/eidbridge.js";
import { fakeAgent, fakeBrowser, mockWindow, tick } from "./harness.js";

const NONCE = "cGVyc29uYWwgY2hhbGxlbmdlIG5vbmNlIDMyIGJ5dGU=";
const fast = { ack: 200, agent: 1000, user: 1500 }; // roomy for a loaded machine
const noWebSocket = class {
  constructor() {
    throw new Error("the websocket must not be used while the extension is there");
  }
};

function withExtension(origin, hostOpts = {}) {
  const win = mockWindow(origin);
  const agent = fakeAgent(hostOpts.handlers);
  const origins = [];
  const host = (o) => (origins.push(o), { ready: hostOpts.ready !== false, agent });
  const browser = fakeBrowser(win, {
    host: hostOpts.installed === false ? null : host,
    sender: hostOpts.sender,
    origins: hostOpts.origins,
  });
  return { win, agent, origins, browser };
}

test("through the extension, the host learns the origin from the browser, then relays", async () => {
  const token = { format: "web-eid:1.0" };
  const { win, agent, origins, browser } = withExtension("https://mijn.belgium.be", {
    handlers: { authenticate: { result: token } },
  });
  const c = await connect({ window: win, WebSocket: noWebSocket, timeouts: fast });
  assert.equal(c.transport, "extension");
  assert.deepEqual(await c.authenticate(NONCE), token);
  assert.deepEqual(origins, ["https://mijn.belgium.be"]);
  const sent = browser.native[0].messages;
  assert.deepEqual(sent[0], { origin: "https://mijn.belgium.be" }, "the first message is not the browser's origin");
  assert.deepEqual(sent[1], { id: agent.requests[0].id, op: "authenticate", params: { challengeNonce: NONCE } });
});

test("what the page writes cannot change the origin the host is told", async () => {
  // The page lies in its own messages; the browser (sender) says otherwise.
  const { win, origins } = withExtension("https://evil.example", {
    sender: { origin: "https://evil.example", url: "https://evil.example/x" },
    origins: ["https://*.belgium.be", "https://evil.example"], // so that a host starts
  });
  win.postMessage({ eidbridge: "page", type: "open", channel: "c1", origin: "https://mijn.belgium.be" }, win.location.origin);
  await tick(20);
  const c = await connect({ window: win, WebSocket: noWebSocket, timeouts: fast });
  await c.status();
  assert.deepEqual(origins, ["https://evil.example", "https://evil.example"]);
});

test("sender.url stands in when the browser gives no sender.origin", async () => {
  const { win, origins } = withExtension("http://127.0.0.1:8080", { sender: { url: "http://127.0.0.1:8080/login?x=1" } });
  const c = await connect({ window: win, WebSocket: noWebSocket, timeouts: fast });
  await c.version();
  assert.deepEqual(origins, ["http://127.0.0.1:8080"]);
});

test("host not installed, or agent not running: AGENT_UNAVAILABLE with the install link", async () => {
  for (const opts of [{ installed: false }, { ready: false }]) {
    const { win, browser } = withExtension("https://mijn.belgium.be", opts);
    await assert.rejects(connect({ window: win, WebSocket: noWebSocket, timeouts: fast }), (e) => {
      assert.equal(e.code, "AGENT_UNAVAILABLE", JSON.stringify(opts));
      assert.ok(e.installUrl);
      return true;
    });
    if (opts.installed === false) assert.match(browser.warnings.join("\n"), /native messaging host not found/);
  }
});

test("the agent going away rejects pending calls and says disconnected", async () => {
  const { win, browser } = withExtension("https://mijn.belgium.be", { handlers: { authenticate: null } });
  const c = await connect({ window: win, WebSocket: noWebSocket, timeouts: fast });
  let disconnected = false;
  c.on("disconnected", () => (disconnected = true));
  const p = c.authenticate(NONCE);
  await tick(20);
  browser.native[0].port.disconnect(); // nm-host exits
  await assert.rejects(p, (e) => e.code === "AGENT_UNAVAILABLE");
  assert.ok(disconnected);
});

test("events from the agent reach the page", async () => {
  const { win, browser } = withExtension("https://mijn.belgium.be");
  const c = await connect({ window: win, WebSocket: noWebSocket, timeouts: fast });
  const got = new Promise((resolve) => c.on("cardRemoved", resolve));
  browser.native[0].port.postMessage({ event: "cardRemoved", data: { reader: "R" } });
  assert.deepEqual(await got, { reader: "R" });
});

test("the content script stays out of insecure pages", async () => {
  for (const [origin, secure] of [["http://example.be", false], ["https://example.be", false]]) {
    const win = mockWindow(origin, { secure });
    fakeBrowser(win, { host: () => ({ ready: true, agent: fakeAgent() }) });
    await assert.rejects(
      connect({ window: win, transport: "extension", timeouts: fast }),
      (e) => e.code === "EXTENSION_UNAVAILABLE",
      origin,
    );
  }
});

test("the background refuses oversized or malformed messages and anything before opened", async () => {
  const { win, browser } = withExtension("https://mijn.belgium.be");
  const channel = "manual";
  const closed = new Promise((resolve) =>
    win.addEventListener("message", (ev) => ev.data.type === "closed" && ev.data.channel === channel && resolve(ev.data)),
  );
  const post = (m) => win.postMessage({ eidbridge: "page", channel, ...m }, win.location.origin);
  post({ type: "open" });
  post({ type: "send", message: { id: "early", op: "status" } }); // before "opened"
  await tick(30);
  post({ type: "send", message: { id: "big", op: "authenticate", params: { challengeNonce: "x".repeat(70000) } } });
  const why = await closed;
  assert.equal(why.code, "INVALID_REQUEST");
  assert.deepEqual(browser.native[0].messages, [{ origin: "https://mijn.belgium.be" }], "the host got page messages");
});

test("senderOrigin accepts https and loopback http only", async () => {
  const { browser } = withExtension("https://mijn.belgium.be");
  const { senderOrigin } = browser.background;
  const cases = [
    [{ origin: "https://a.belgium.be" }, "https://a.belgium.be"],
    [{ url: "https://a.belgium.be:8443/p?q" }, "https://a.belgium.be:8443"],
    [{ origin: "http://localhost:3000" }, "http://localhost:3000"],
    [{ origin: "http://[::1]:3000" }, "http://[::1]:3000"],
    [{ origin: "http://a.belgium.be" }, null],
    [{ origin: "null", url: "https://a.belgium.be/" }, null],
    [{ origin: "file://" }, null],
    [{ url: "not a url" }, null],
    [{}, null],
    [undefined, null],
  ];
  for (const [sender, want] of cases) assert.equal(senderOrigin(sender), want, JSON.stringify(sender));
});
