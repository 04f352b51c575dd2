// Online token request: with the project's JavaScript client (served
// under /static/eidbridge/), ask the citizen's eidbridge agent to
// authenticate with the server's nonce and to read the identity, then
// post both to the server, which verifies them. The client reaches the
// agent through the browser extension when it is installed, through the
// agent's websocket otherwise.
import { connect, ClientCodes } from "/static/eidbridge/eidbridge.js";

const root = document.getElementById("eid-request");
const button = document.getElementById("eid-start");
const status = document.getElementById("eid-status");
const msg = root ? root.dataset : {};

function show(text) {
  status.replaceChildren(text);
}

// fail shows what went wrong in the citizen's words and language: the
// portal's own text for the codes its catalogues know (no agent: with
// the install link), the server's message (in the page's language), else
// the portal's general "did not work": the agent and the client speak
// English only. The code goes to data-error for scripts and tests.
function fail(e) {
  const code = (e && e.code) || "";
  root.dataset.error = code || "FAILED";
  button.disabled = false;
  if (code === ClientCodes.AGENT_UNAVAILABLE) {
    const link = document.createElement("a");
    link.id = "eid-install";
    link.href = e.installUrl;
    link.textContent = msg.msgNoagentHelp;
    status.replaceChildren(msg.msgNoagent + " ", link);
    return;
  }
  show(codeText(code) || (e && e.fromPortal && e.message) || msg.msgFailed);
}

// codeText is the page's own wording, in the citizen's language, for the
// agent's error codes it knows: data-msg-code-card-removed for
// CARD_REMOVED, and so on.
function codeText(code) {
  if (!code) return "";
  const key = "msgCode" + code.toLowerCase().split("_").map((w) => w[0].toUpperCase() + w.slice(1)).join("");
  return msg[key] || "";
}

async function post(path, body) {
  const r = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": msg.csrf },
    body: JSON.stringify(body || {}),
  });
  const j = await r.json();
  if (!r.ok) throw Object.assign(new Error(j.message || msg.msgFailed), { fromPortal: true });
  return j;
}

// proofPaths: where each flow that only authenticates posts its proof.
// The desk officer's login and a service's login need who the person is,
// not their address.
const proofPaths = { officer: "/officer/verify", connect: "/connect/verify" };

// request runs the whole flow on one connection to the agent.
async function request() {
  const officer = msg.flow in proofPaths;
  show(msg.msgConnecting);
  const { nonce } = await post("/request/challenge");
  const eid = await connect({ url: msg.agent, installUrl: msg.install });
  root.dataset.transport = eid.transport;
  let token, identity;
  try {
    show(msg.msgCard);
    token = await eid.authenticate(nonce);
    if (!officer) {
      show(msg.msgIdentity);
      identity = await eid.readIdentity(["identity", "address"]);
    }
  } finally {
    eid.close();
  }
  show(msg.msgVerifying);
  const j = officer
    ? await post(proofPaths[msg.flow], { nonce, token })
    : await post("/request/verify", { nonce, token, identity: identity.files });
  window.location.assign(j.next);
}

if (root && button) {
  button.addEventListener("click", () => {
    button.disabled = true;
    delete root.dataset.error;
    request().catch(fail);
  });
}
