// The page side of the Web eID tests: a page that speaks web-eid.js's
// message protocol to the extension's real content scripts, and a
// second extension that answers the same messages.

import { readFileSync } from "node:fs";
import vm from "node:vm";

import { fakeAgent, fakeBrowser, mockWindow, tick } from "./harness.js";

export const NONCE = "cGVyc29uYWwgY2hhbGxlbmdlIG5vbmNlIDMyIGJ5dGU=";
export const LIBRARY = "2.1.0";
export const AGENT_VERSION = "0.4.0";

/** SEMVER is SemVer 2.0.0's grammar, as web-eid.js's version checks apply it. */
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

/**
 * webeidPage is a page at origin with the extension loaded and the
 * scripted agent behind it; handlers script the agent (fakeAgent), lang
 * is its <html lang>, secure false makes it an insecure context.
 * installed false: no native host; ready false: the agent refuses.
 */
export function webeidPage({ origin = "https://mijn.belgium.be", handlers = {}, lang, secure, sender, installed = true, ready = true } = {}) {
  const win = mockWindow(origin, { lang, secure });
  const agent = fakeAgent({ version: { result: { agentVersion: AGENT_VERSION, protocolVersion: "1" } }, ...handlers });
  const origins = [];
  const host = (o) => (origins.push(o), ready ? { ready: true, agent } : {});
  const browser = fakeBrowser(win, { host: installed ? host : null, sender });
  const replies = [];
  win.addEventListener("message", (ev) => {
    const a = ev.data && ev.data.action;
    if (ev.source === win && ev.origin === win.location.origin && /-(ack|success|failure)$/.test(a || "")) {
      replies.push({ ...ev.data, at: Date.now() });
    }
  });
  return { win, agent, origins, browser, replies };
}

/**
 * ask posts a request as web-eid.js does (to "*") and resolves to its ack
 * delay in ms and its answer, or answer null after wait ms.
 */
export async function ask(page, message, wait = 3000) {
  const sent = Date.now();
  const from = page.replies.length;
  page.win.postMessage({ libraryVersion: LIBRARY, ...message }, "*");
  const mine = (suffix) => page.replies.slice(from).find((r) => r.action === message.action + suffix);
  for (const end = sent + wait; Date.now() < end && !mine("-success") && !mine("-failure"); ) await tick(5);
  const ack = mine("-ack");
  const answer = mine("-success") || mine("-failure") || null;
  if (answer) delete answer.at;
  return { ackDelay: ack ? ack.at - sent : null, answer };
}

/** answers counts the -success and -failure replies to action so far. */
export function answers(page, action) {
  return page.replies.filter((r) => r.action === action + "-success" || r.action === action + "-failure").length;
}

/**
 * otherExtension makes win also hold another Web eID extension that acks
 * each request after ackAfter ms and answers it ackAfter + 50 ms later.
 */
export function otherExtension(win, ackAfter = 0) {
  const other = { seen: [] };
  win.addEventListener("message", (ev) => {
    const a = ev.data && ev.data.action;
    if (ev.source !== win || !/^web-eid:[a-z-]+$/.test(a || "") || /-(ack|success|failure)$/.test(a)) return;
    other.seen.push(a);
    const post = (m) => win.postMessage(m, win.location.origin);
    const answer = () => post({ action: a + "-failure", error: { code: "ERR_WEBEID_USER_CANCELLED", message: "the other extension" } });
    if (ackAfter === 0) post({ action: a + "-ack" });
    else setTimeout(() => post({ action: a + "-ack" }), ackAfter);
    setTimeout(answer, ackAfter + 50);
  });
  return other;
}

/** TEXT is the extension's catalogue of messages for the citizen, by language. */
export const TEXT = vm.runInNewContext(
  readFileSync(new URL("../extension/webeid-text.js", import.meta.url), "utf8") + "\nWEBEID_TEXT",
);

export { fakeAgent, tick };
