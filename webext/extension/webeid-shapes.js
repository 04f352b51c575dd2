// eidbridge content script, Web eID page protocol: the shapes of the
// messages web-eid.js exchanges with an extension, and how our agent's
// requests, answers and error codes translate to them (docs/webeid.md).
// Pure functions; webeid.js does the talking.
"use strict";

const WEBEID = Object.freeze({
  // The page's request actions and the agent operation each becomes.
  ops: Object.freeze({
    "web-eid:status": "version",
    "web-eid:authenticate": "authenticate",
    "web-eid:get-signing-certificate": "getSigningCertificate",
    "web-eid:sign": "sign",
  }),
  major: 2, // the page protocol's major version we speak (web-eid.js 2.x)
  // The Web eID releases whose protocols we speak, as status reports them:
  // the extension's page protocol and the native application's (the same
  // as eidbridge nm-host's Web eID dialect says, nmhost/webeid.go).
  extensionBase: "2.5.0",
  nativeAppBase: "2.9.0",
  standDown: 200, // ms: another extension's ack within this, and we stay quiet
  statusTimeout: 5000, // ms for the agent's version; web-eid.js waits 6 s in all
  userTimeout: 120000, // web-eid.js's default userInteractionTimeout
  maxUserTimeout: 60 * 60 * 1000, // the agent's own dialogs never wait longer
});

// Our error codes (docs/protocol.md §4, plus the extension's
// AGENT_UNAVAILABLE) and the Web eID code a page gets for each.
const WEBEID_CODES = Object.freeze({
  USER_CANCELLED: "ERR_WEBEID_USER_CANCELLED",
  USER_TIMEOUT: "ERR_WEBEID_USER_TIMEOUT",
  AGENT_UNAVAILABLE: "ERR_WEBEID_NATIVE_UNAVAILABLE",
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
});

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const LANG_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

// webeidFailure is the -failure answer to action. Our own code stays in
// eidbridgeCode (web-eid.js copies it onto the error) for sites that
// want the finer reason.
function webeidFailure(action, code, message, extra = {}) {
  const error = { code, message: String(message || code), ...extra };
  return { action: action + "-failure", error };
}

// agentFailure translates an agent (or extension) error, its message in
// the language of tag where it concerns the citizen (webeid-text.js).
function agentFailure(action, error, tag) {
  const ours = error && typeof error.code === "string" ? error.code : "INTERNAL";
  const code = WEBEID_CODES[ours] || "ERR_WEBEID_UNKNOWN_ERROR";
  const message = webeidText(tag, ours) || (error && error.message);
  return webeidFailure(action, code, message, { eidbridgeCode: ours });
}

// webeidVersion is a SemVer string for web-eid.js's version checks: the
// Web eID release base whose protocol we speak, with our own version as
// build metadata.
function webeidVersion(base, ours) {
  const build = String(ours || "")
    .split(/[^0-9A-Za-z-]+/)
    .filter(Boolean)
    .join(".");
  return `${base}+eidbridge${build ? "." + build : ""}`;
}

// versionProblem is the failure for a library we cannot serve: a version
// that is not SemVer, or a newer major than ours. null when compatible.
function versionProblem(action, library, versions) {
  const m = typeof library === "string" ? SEMVER.exec(library) : null;
  if (!m) return webeidFailure(action, "ERR_WEBEID_VERSION_INVALID", "libraryVersion is not a SemVer version.");
  if (Number(m[1]) <= WEBEID.major) return null;
  return webeidFailure(action, "ERR_WEBEID_VERSION_MISMATCH", "The page's Web eID library is newer than eidbridge: update eidbridge.", {
    requiresUpdate: { extension: true, nativeApp: true },
    library,
    ...versions,
  });
}

// pageLang is the dialogs' language: the request's options.lang, else
// the page's <html lang>, when either is a plausible language tag.
function pageLang(options, documentLang) {
  for (const tag of [options && options.lang, documentLang]) {
    if (typeof tag === "string" && tag.length <= 35 && LANG_TAG.test(tag)) return tag;
  }
  return "";
}

// userTimeout is how long an operation may wait for the citizen, from
// options.userInteractionTimeout as web-eid.js passes it.
function userTimeout(options) {
  const ms = options && options.userInteractionTimeout;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) return WEBEID.userTimeout;
  return Math.min(ms, WEBEID.maxUserTimeout);
}

const nonEmpty = (v) => typeof v === "string" && v !== "";

// agentRequest is the agent request for a page's message, or
// { missing: NAME } when a parameter the operation needs is absent.
function agentRequest(data, id, lang) {
  const op = WEBEID.ops[data.action];
  const req = { id, op };
  if (op === "version") return { req };
  if (lang) req.lang = lang;
  if (op === "authenticate") {
    if (!nonEmpty(data.challengeNonce)) return { missing: "challengeNonce" };
    req.params = { challengeNonce: data.challengeNonce };
  } else if (op === "sign") {
    const missing = ["certificate", "hash", "hashFunction"].find((k) => !nonEmpty(data[k]));
    if (missing) return { missing };
    req.params = { hash: data.hash, hashFunction: data.hashFunction, certificate: data.certificate };
  }
  return { req };
}

function isAlgorithm(a) {
  return a && nonEmpty(a.cryptoAlgorithm) && nonEmpty(a.hashFunction) && nonEmpty(a.paddingScheme);
}

function algorithm(a) {
  return { cryptoAlgorithm: a.cryptoAlgorithm, hashFunction: a.hashFunction, paddingScheme: a.paddingScheme };
}

// webeidSuccess is the -success answer built from the agent's result,
// with exactly the fields web-eid.js reads; null when the result lacks one.
function webeidSuccess(action, r, versions) {
  const ok = (fields) => ({ action: action + "-success", ...fields });
  if (!r || typeof r !== "object") return null;
  switch (action) {
    case "web-eid:status":
      return nonEmpty(r.agentVersion) ? ok({ ...versions, nativeApp: webeidVersion(WEBEID.nativeAppBase, r.agentVersion) }) : null;
    case "web-eid:authenticate": {
      const names = ["unverifiedCertificate", "algorithm", "signature", "format", "appVersion"];
      if (!names.every((k) => nonEmpty(r[k]))) return null;
      return ok(Object.fromEntries(names.map((k) => [k, r[k]])));
    }
    case "web-eid:get-signing-certificate": {
      const algs = Array.isArray(r.supportedSignatureAlgorithms) ? r.supportedSignatureAlgorithms : [];
      if (!nonEmpty(r.certificate) || algs.length === 0 || !algs.every(isAlgorithm)) return null;
      return ok({ certificate: r.certificate, supportedSignatureAlgorithms: algs.map(algorithm) });
    }
    case "web-eid:sign":
      if (!nonEmpty(r.signature) || !isAlgorithm(r.signatureAlgorithm)) return null;
      return ok({ signature: r.signature, signatureAlgorithm: algorithm(r.signatureAlgorithm) });
  }
  return null;
}
