// eidbridge JavaScript client: lets a website use the citizen's Belgian
// eID card through the eidbridge application (the "agent") on their
// computer. No dependencies; an ES module for browsers.
//
//   import { connect } from "./eidbridge.js";
//   const eid = await connect();
//   const token = await eid.authenticate(nonceFromYourServer);
//   // send token to your server, which verifies it (Go: package verify,
//   // or any Web eID "web-eid:1.0" token validator)
//
// The protocol behind it is docs/protocol.md; README.md has more.

import { ClientCodes, EidbridgeError, INSTALL_URL, agentUnavailable, connectionLost } from "./errors.js";
import { detectExtension, openExtension } from "./transport-extension.js";
import { openWebSocket } from "./transport-websocket.js";

export { ClientCodes, EidbridgeError, INSTALL_URL };

/** The agent's default loopback port. */
export const DEFAULT_PORT = 51950;

/**
 * Default timeouts in ms, as Web eID has them: the extension must answer
 * its hello within `ack`; the agent must accept a connection and answer
 * a request that needs nobody within `agent`; an operation that waits for
 * the citizen (a dialog, the PIN) may take `user`, plus `agent` for the
 * agent's own answer (the agent's dialogs time out after 2 minutes too).
 */
export const DEFAULT_TIMEOUTS = Object.freeze({ ack: 1000, agent: 5000, user: 120000 });

/** The events the agent pushes, plus "disconnected" from the client. */
export const EVENTS = Object.freeze(["readerAdded", "readerRemoved", "cardInserted", "cardRemoved", "disconnected"]);

const TOKEN_FORMATS = ["web-eid:1.0", "web-eid:1.1"];
const HASH_FUNCTIONS = ["SHA-256", "SHA-384", "SHA-512"];

/**
 * connect finds a way to the agent and opens a connection.
 * transport "auto" (the default) uses the extension when it is installed,
 * the agent's websocket otherwise; "extension" and "websocket" force one.
 *
 * @param {import("./eidbridge.d.ts").ConnectOptions} [options]
 * @returns {Promise<EidbridgeClient>}
 */
export async function connect(options = {}) {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...(options.timeouts || {}) };
  const installUrl = options.installUrl || INSTALL_URL;
  const mode = options.transport || "auto";
  if (!["auto", "extension", "websocket"].includes(mode)) {
    throw new EidbridgeError(ClientCodes.INVALID_ARGUMENT, `Unknown transport "${mode}".`);
  }
  const win = options.window || globalThis.window;
  let transport;
  if (mode !== "websocket" && win && (await detectExtension(win, timeouts.ack)) !== null) {
    transport = await openExtension(win, timeouts.agent, installUrl);
  } else if (mode === "extension") {
    throw new EidbridgeError(
      ClientCodes.EXTENSION_UNAVAILABLE,
      "The eidbridge browser extension is not installed or not enabled in this browser.",
      { installUrl },
    );
  } else {
    const WS = options.WebSocket || globalThis.WebSocket;
    if (!WS) throw agentUnavailable(installUrl);
    const url = options.url || `ws://127.0.0.1:${options.port || DEFAULT_PORT}/v1`;
    transport = await openWebSocket(url, WS, timeouts.agent, installUrl);
  }
  const lang = options.lang ?? win?.document?.documentElement?.lang ?? "";
  return new EidbridgeClient(transport, timeouts, installUrl, lang);
}

/** One open connection to the agent. Create it with connect(). */
export class EidbridgeClient {
  #transport;
  #timeouts;
  #installUrl;
  #pending = new Map(); // id → {resolve, reject, timer}
  #listeners = new Map(); // event → Set of functions
  #next = 0;
  #userOp = null; // id of the running operation that waits for the citizen
  #closed = false;
  #lang; // the page's language, for the agent's dialogs

  constructor(transport, timeouts, installUrl, lang) {
    this.#transport = transport;
    this.#timeouts = timeouts;
    this.#installUrl = installUrl;
    this.#lang = lang;
    /** "extension" or "websocket": how this connection reaches the agent. */
    this.transport = transport.kind;
    transport.onmessage = (msg) => this.#receive(msg);
    transport.onclose = () => this.#lost();
  }

  /** The agent's version, protocol version, operations and events. */
  async version() {
    return this.#call("version", undefined, false);
  }

  /** The readers and whether each holds a card; no dialog, no identity data. */
  async status() {
    return this.#call("status", undefined, false);
  }

  /**
   * Log in: the citizen types their PIN in eidbridge's own dialog and the
   * card signs your server's nonce bound to this site's origin. Resolves to
   * a Web eID "web-eid:1.0" token for your server to verify, or with
   * {format: "web-eid:1.1"} one that also carries the signing certificate
   * and the algorithms it signs with (the dialog says so).
   * @param {string} challengeNonce the nonce your server issued (44 to 128 characters)
   * @param {{format?: "web-eid:1.0"|"web-eid:1.1"}} [options]
   */
  async authenticate(challengeNonce, options = {}) {
    if (typeof challengeNonce !== "string") throw invalid("challengeNonce must be a string");
    const params = { challengeNonce };
    if (options.format !== undefined) {
      if (!TOKEN_FORMATS.includes(options.format)) throw invalid(`format must be one of ${TOKEN_FORMATS.join(", ")}`);
      params.format = options.format;
    }
    return this.#call("authenticate", params, true);
  }

  /**
   * Read identity data after the citizen's consent.
   * @param {Array<"identity"|"address"|"photo">} [include]
   */
  async readIdentity(include = ["identity", "address"]) {
    if (!Array.isArray(include) || include.length === 0) throw invalid("include must be a non-empty array");
    return this.#call("readIdentity", { include }, true);
  }

  /** The signing (non-repudiation) certificate and the algorithms the card signs with. */
  async getSigningCertificate() {
    return this.#call("getSigningCertificate", undefined, true);
  }

  /**
   * Sign a hash with the card's signing key; the citizen types the PIN.
   * @param {string|ArrayBuffer|Uint8Array} certificate from getSigningCertificate (base64 or DER bytes)
   * @param {string|ArrayBuffer|Uint8Array} hash the digest (base64 or bytes)
   * @param {"SHA-256"|"SHA-384"|"SHA-512"} hashFunction
   * @param {{description?: string}} [options] what is signed, in a few words, for the PIN dialog
   */
  async sign(certificate, hash, hashFunction, options = {}) {
    if (!HASH_FUNCTIONS.includes(hashFunction)) throw invalid(`hashFunction must be one of ${HASH_FUNCTIONS.join(", ")}`);
    const params = { hash: base64(hash, "hash"), hashFunction, certificate: base64(certificate, "certificate") };
    if (options.description) params.description = String(options.description);
    return this.#call("sign", params, true);
  }

  /**
   * Close the dialog of the running operation, which then rejects with
   * USER_CANCELLED. Resolves to whether there was one to cancel.
   */
  async cancel() {
    if (this.#userOp === null) return false;
    const res = await this.#call("cancel", { id: this.#userOp }, false);
    return Boolean(res && res.cancelled);
  }

  /** Listen to an event: cardInserted, cardRemoved, readerAdded, readerRemoved, disconnected. */
  on(event, listener) {
    if (!EVENTS.includes(event)) throw invalid(`unknown event "${event}"`);
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(listener);
    return this;
  }

  /** Stop listening. */
  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  /** Close the connection; pending operations reject with AGENT_UNAVAILABLE. */
  close() {
    if (this.#closed) return;
    this.#transport.close();
    this.#lost();
  }

  #call(op, params, user) {
    if (this.#closed) return Promise.reject(connectionLost(this.#installUrl));
    const id = `r${++this.#next}`;
    const msg = params === undefined ? { id, op } : { id, op, params };
    if (user && this.#lang) msg.lang = this.#lang; // the agent's dialogs speak the page's language
    const wait = user ? this.#timeouts.user + this.#timeouts.agent : this.#timeouts.agent;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#settle(id);
        if (user) this.#transport.send({ id: `${id}-cancel`, op: "cancel", params: { id } });
        reject(new EidbridgeError(ClientCodes.ACTION_TIMEOUT, "eidbridge did not answer in time."));
      }, wait);
      this.#pending.set(id, { resolve, reject, timer });
      if (user) this.#userOp = id;
      this.#transport.send(msg);
    });
  }

  // settle forgets request id and returns its entry.
  #settle(id) {
    const p = this.#pending.get(id);
    if (!p) return null;
    clearTimeout(p.timer);
    this.#pending.delete(id);
    if (this.#userOp === id) this.#userOp = null;
    return p;
  }

  #receive(msg) {
    if (!msg || typeof msg !== "object") return;
    if (typeof msg.event === "string") {
      this.#emit(msg.event, msg.data);
      return;
    }
    const p = typeof msg.id === "string" ? this.#settle(msg.id) : null;
    if (!p) return; // a reply to nothing we wait for (a timed-out request)
    if (msg.error) p.reject(new EidbridgeError(String(msg.error.code), String(msg.error.message)));
    else p.resolve(msg.result);
  }

  #lost() {
    if (this.#closed) return;
    this.#closed = true;
    for (const id of [...this.#pending.keys()]) this.#settle(id).reject(connectionLost(this.#installUrl));
    this.#emit("disconnected", {});
  }

  #emit(event, data) {
    for (const fn of this.#listeners.get(event) || []) {
      try {
        fn(data);
      } catch (e) {
        console.error("eidbridge: an event listener failed", e);
      }
    }
  }
}

function invalid(what) {
  return new EidbridgeError(ClientCodes.INVALID_ARGUMENT, `eidbridge: ${what}.`);
}

// base64 accepts a base64 string as is, or encodes bytes.
function base64(value, name) {
  if (typeof value === "string") return value;
  let bytes;
  if (value instanceof Uint8Array) bytes = value;
  else if (value instanceof ArrayBuffer) bytes = new Uint8Array(value);
  else throw invalid(`${name} must be a base64 string, an ArrayBuffer or a Uint8Array`);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}
