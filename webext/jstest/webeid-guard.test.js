// Whom the extension answers on the Web eID page protocol: the page's own
// window only, requests only, and nobody when another Web eID extension
// (the official one) serves the request: one PIN prompt, never two.

import assert from "node:assert/strict";
import { test } from "node:test";

import { NONCE, answers, ask, otherExtension, tick, webeidPage } from "./webeid-page.js";

const TOKEN = { unverifiedCertificate: "C", algorithm: "ES384", signature: "S", format: "web-eid:1.0", appVersion: "A" };

test("only requests from the page's own window are answered", async () => {
  const page = webeidPage({ handlers: { authenticate: { result: TOKEN } } });
  const { win } = page;
  const request = { action: "web-eid:authenticate", libraryVersion: "2.1.0", challengeNonce: NONCE };
  win.dispatch({ source: {}, origin: win.location.origin, data: request }); // a frame of the page
  win.dispatch({ source: win, origin: "https://evil.example", data: request });
  for (const action of ["web-eid:authenticate-success", "web-eid:authenticate-failure", "web-eid:warning", "web-eid:quit", "other:status"]) {
    win.postMessage({ action, libraryVersion: "2.1.0", warnings: [] }, "*");
  }
  win.postMessage("web-eid:status", "*");
  await tick(400);
  const fromExtension = win.posted.filter((p) => p.targetOrigin === win.location.origin); // the test posts to "*"
  assert.deepEqual(fromExtension, [], "the extension answered something that is not a request of this page");
  assert.equal(page.browser.started, 0);
});

test("an insecure page, or http off loopback, gets no answer at all", async () => {
  const pages = [["https://shop.example", false], ["http://shop.example", true]].map(([origin, secure]) => {
    const page = webeidPage({ origin, secure });
    page.win.postMessage({ action: "web-eid:status", libraryVersion: "2.1.0" }, "*");
    return page;
  });
  await tick(300);
  for (const page of pages) assert.deepEqual(page.replies, [], page.win.location.origin);
});

test("another extension acks first: we stay quiet, start no host, and the page gets one answer", async () => {
  const page = webeidPage({ handlers: { authenticate: { result: TOKEN } } });
  const other = otherExtension(page.win);
  for (const action of ["web-eid:status", "web-eid:authenticate"]) {
    const { answer } = await ask(page, { action, challengeNonce: NONCE });
    assert.equal(answer.error.message, "the other extension", action);
  }
  await tick(400);
  assert.equal(answers(page, "web-eid:authenticate"), 1, "two answers to one request");
  assert.equal(answers(page, "web-eid:status"), 1, "two answers to one request");
  assert.deepEqual(other.seen, ["web-eid:status", "web-eid:authenticate"]);
  assert.equal(page.browser.started, 0, "a host started although another extension serves the page");
});

test("another extension's late ack cancels our request before the citizen answers twice", async () => {
  const page = webeidPage({ handlers: { authenticate: null } }); // our dialog is open
  otherExtension(page.win, 400);
  const { answer } = await ask(page, { action: "web-eid:authenticate", challengeNonce: NONCE });
  assert.equal(answer.error.message, "the other extension");
  await tick(300);
  assert.equal(answers(page, "web-eid:authenticate"), 1);
  assert.deepEqual(page.agent.requests.map((r) => r.op), ["authenticate", "cancel"], "our dialog stays open");
  assert.equal(page.browser.alive, 0);
});

test("alone, the extension answers each request once, and serves the next one too", async () => {
  const page = webeidPage({ handlers: { authenticate: { result: TOKEN } } });
  for (let i = 0; i < 2; i++) {
    const { answer } = await ask(page, { action: "web-eid:authenticate", challengeNonce: NONCE });
    assert.equal(answer.action, "web-eid:authenticate-success");
  }
  await tick(300);
  assert.equal(answers(page, "web-eid:authenticate"), 2);
  assert.equal(page.replies.filter((r) => r.action === "web-eid:authenticate-ack").length, 2);
});

test("a second request of the same action while ours runs is not served twice", async () => {
  const page = webeidPage({ handlers: { authenticate: null } });
  const msg = { action: "web-eid:authenticate", libraryVersion: "2.1.0", challengeNonce: NONCE, options: { userInteractionTimeout: 600 } };
  page.win.postMessage(msg, "*");
  page.win.postMessage(msg, "*");
  await tick(900);
  assert.equal(page.agent.requests.filter((r) => r.op === "authenticate").length, 1);
  assert.equal(answers(page, "web-eid:authenticate"), 1);
});
