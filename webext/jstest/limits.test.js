// The extension's limits on native hosts (limits.js): how many run at
// once, which sites may start one, and the memory of refusals, with a
// scripted host that counts how many run.

import assert from "node:assert/strict";
import { test } from "node:test";

import { connect } from "../client/eidbridge.js";
import { fakeAgent, fakeBrowser, mockWindow, sessionStorage, tick } from "./harness.js";

// Generous: nothing here waits for a timeout, and a loaded machine is slow.
const timeouts = { ack: 3000, agent: 5000, user: 5000 };
const MINUTE = 60 * 1000;

// setup is a browser with the extension whose host answers agent for
// every origin, or refuses the origins in refused.
function setup({ refused = [], ready = true, storage, origins, firstContact } = {}) {
  const agent = fakeAgent();
  const host = (o) => (refused.includes(o) ? { refused: true } : ready ? { ready: true, agent } : {});
  const first = mockWindow("https://start.belgium.be");
  const browser = fakeBrowser(first, { host, storage, origins, firstContact, sender: sender("https://start.belgium.be", 1000, 0) });
  return browser;
}

function sender(origin, tab, frameId) {
  return { origin, url: `${origin}/frame${frameId}`, tab: { id: tab }, frameId };
}

// open connects a page of origin in frame frameId of tab through the
// extension; it resolves to the client or to the error's code.
async function open(browser, origin, tab = 1, frameId = 0) {
  const win = mockWindow(origin);
  browser.addPage(win, sender(origin, tab, frameId));
  try {
    return await connect({ window: win, transport: "extension", timeouts });
  } catch (e) {
    return e.code;
  }
}

// opened opens a connection that must succeed.
async function opened(browser, origin, tab, frameId) {
  const c = await open(browser, origin, tab, frameId);
  assert.equal(typeof c, "object", `${origin}: ${c}`);
  return c;
}

const codes = (results) => results.filter((r) => typeof r === "string");
const clients = (results) => results.filter((r) => typeof r !== "string");

test("40 connections from the frames and tabs of one site never run more than 2 hosts", async () => {
  const browser = setup();
  const site = "https://mijn.belgium.be";
  const tries = [];
  for (let tab = 0; tab < 10; tab++) for (let f = 0; f < 4; f++) tries.push(open(browser, site, tab, f));
  const results = await Promise.all(tries);
  assert.equal(clients(results).length, 2);
  assert.deepEqual(new Set(codes(results)), new Set(["RATE_LIMITED"]));
  assert.ok(browser.peak <= 2, `${browser.peak} hosts ran at once`);
  assert.equal(browser.native.length, 2);
  // Closed connections free their place.
  clients(results).forEach((c) => c.close());
  await tick(20);
  assert.equal(browser.alive, 0);
  await opened(browser, site, 3, 1);
});

test("at most 4 hosts run at once across sites, and 2 per tab", async () => {
  const browser = setup();
  (await opened(browser, "https://warm.belgium.be")).close(); // the origins query, out of the way
  await tick(20);
  const tries = [];
  for (let i = 0; i < 8; i++) for (let f = 0; f < 2; f++) tries.push(open(browser, `https://s${i}.belgium.be`, 10 + i, f));
  const results = await Promise.all(tries);
  assert.equal(clients(results).length, 4);
  assert.ok(browser.peak <= 4, `${browser.peak} hosts ran at once`);
  clients(results).forEach((c) => c.close());
  await tick(20);

  // One tab with frames of five different sites.
  const inTab = await Promise.all([0, 1, 2, 3, 4].map((f) => open(browser, `https://f${f}.fgov.be`, 99, f)));
  assert.equal(clients(inTab).length, 2);
  assert.deepEqual(new Set(codes(inTab)), new Set(["RATE_LIMITED"]));
});

test("a site outside the agent's allowlist starts no host", async () => {
  const browser = setup();
  (await opened(browser, "https://mijn.belgium.be")).close(); // the allowlist is now known
  await tick(20);
  const started = browser.started;
  const results = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => open(browser, "https://evil.example", i)));
  assert.deepEqual(codes(results), Array(10).fill("AGENT_UNAVAILABLE"));
  assert.equal(browser.started, started, "a host was started for a site the agent does not allow");
});

test("when the agent asks about new sites, any https site starts a host within the limits; http never", async () => {
  const site = "https://shop.example";
  const browser = setup({ firstContact: true, refused: ["https://nagging.example"] });
  (await opened(browser, site)).close();
  assert.equal(browser.native.at(-1).messages[0].origin, site, "the host was not started for the new site");
  const results = await Promise.all([0, 1, 2, 3, 4].map((f) => open(browser, site, 3, f)));
  assert.equal(clients(results).length, 2, "the per-site limit does not hold for new sites");
  const started = browser.started;
  assert.equal(typeof (await open(browser, "http://shop.example")), "string", "an http page connected");
  assert.equal(browser.started, started, "an http page started a host");
  // The citizen said no: the agent refuses, and the site starts nothing for a while.
  assert.equal(await open(browser, "https://nagging.example", 5), "AGENT_UNAVAILABLE");
  const afterNo = browser.started;
  assert.equal(await open(browser, "https://nagging.example", 6), "AGENT_UNAVAILABLE");
  assert.equal(browser.started, afterNo, "a refused new site started a host again");
});

test("the allowlist is asked for at most once a minute", async () => {
  const browser = setup();
  for (let round = 0; round < 3; round++) {
    const results = await Promise.all([0, 1, 2].map((i) => open(browser, `https://evil${i}.example`, i)));
    assert.deepEqual(new Set(codes(results)), new Set(["AGENT_UNAVAILABLE"]));
    browser.advance(20 * 1000);
  }
  assert.equal(browser.queries.length, 1);
  assert.equal(browser.native.length, 0);

  // The citizen allows the site: after the minute the next query says so.
  browser.origins.push("https://evil0.example");
  browser.advance(MINUTE);
  await opened(browser, "https://evil0.example");
  assert.equal(browser.queries.length, 2);
  // Allowed sites need no new query.
  browser.advance(10 * MINUTE);
  await opened(browser, "https://x.belgium.be", 2);
  assert.equal(browser.queries.length, 2);
});

test("a site the agent refused starts no host for 10 minutes", async () => {
  const site = "https://old.belgium.be"; // on the list, but the agent refuses it
  const browser = setup({ refused: [site] });
  assert.equal(await open(browser, site), "AGENT_UNAVAILABLE");
  assert.equal(browser.native.length, 1);
  for (let i = 0; i < 5; i++) assert.equal(await open(browser, site, i), "AGENT_UNAVAILABLE");
  browser.advance(9 * MINUTE);
  assert.equal(await open(browser, site), "AGENT_UNAVAILABLE");
  assert.equal(browser.native.length, 1, "a refused site started a host again");
  await opened(browser, "https://new.belgium.be"); // other sites are not refused
  browser.advance(MINUTE + 1000);
  assert.equal(await open(browser, site), "AGENT_UNAVAILABLE");
  assert.equal(browser.native.length, 3, "the refusal is not forgotten after 10 minutes");
});

test("an agent that is not running is not remembered as a refusal", async () => {
  const browser = setup({ ready: false });
  for (let i = 0; i < 3; i++) assert.equal(await open(browser, "https://mijn.belgium.be"), "AGENT_UNAVAILABLE");
  assert.equal(browser.native.length, 3);
});

test("the allowlist and the refusals survive a restart of the worker", async () => {
  const storage = sessionStorage();
  const site = "https://old.belgium.be";
  const before = setup({ refused: [site], storage });
  assert.equal(await open(before, site), "AGENT_UNAVAILABLE");
  const after = setup({ refused: [site], storage });
  assert.equal(await open(after, site), "AGENT_UNAVAILABLE");
  assert.equal(await open(after, "https://evil.example"), "AGENT_UNAVAILABLE");
  assert.equal(after.started, 0, "the restarted worker started a host");
});

test("loopback pages skip the allowlist, not the limits", async () => {
  const browser = setup();
  const results = await Promise.all([0, 1, 2, 3, 4].map((f) => open(browser, "http://127.0.0.1:8080", 7, f)));
  assert.equal(clients(results).length, 2);
  assert.equal(browser.queries.length, 0);
  assert.ok(browser.peak <= 2);
});

test("allowedBy follows the agent's matching rules", async () => {
  const { allowedBy } = setup().background;
  const cases = [
    ["https://a.belgium.be", "https://*.belgium.be", true],
    ["https://a.b.belgium.be", "https://*.belgium.be", true],
    ["https://belgium.be", "https://*.belgium.be", false],
    ["https://evilbelgium.be", "https://*.belgium.be", false],
    ["https://belgium.be.evil.test", "https://*.belgium.be", false],
    ["https://a.belgium.be:8443", "https://*.belgium.be", false],
    ["https://a.x.be:8443", "https://*.x.be:8443", true],
    ["http://a.belgium.be", "https://*.belgium.be", false],
    ["https://mijn.x.be", "https://mijn.x.be", true],
    ["https://mijn.x.be:444", "https://mijn.x.be", false],
    ["http://[::1]:3000", "http://[::1]:3000", true],
  ];
  for (const [origin, pattern, want] of cases) assert.equal(allowedBy(origin, [pattern]), want, `${origin} ${pattern}`);
  assert.equal(allowedBy("https://a.belgium.be", null), false);
});
