// The test site's login script: what a website would write with the
// eidbridge client. ?transport= and ?port= let the tests choose.
import { connect } from "/client/eidbridge.js";

const params = new URLSearchParams(location.search);
const status = document.getElementById("status");
const show = (text) => (status.textContent = text);

async function post(path, body) {
  const res = await fetch(path, { method: "POST", body: JSON.stringify(body || {}) });
  const json = await res.json();
  if (!res.ok) throw new Error(json.error);
  return json;
}

document.getElementById("login").addEventListener("click", async () => {
  delete document.body.dataset.error;
  document.getElementById("install").hidden = true;
  show("Connecting to eidbridge…");
  try {
    const eid = await connect({
      transport: params.get("transport") || "auto",
      port: Number(params.get("port")) || undefined,
      installUrl: "https://eidbridge.example/install",
    });
    document.body.dataset.transport = eid.transport;
    const { nonce } = await post("/challenge");
    show("Follow the instructions in the eidbridge window.");
    const token = await eid.authenticate(nonce);
    const { name } = await post("/login", { nonce, token });
    show(`Welcome, ${name}.`);
    document.body.dataset.state = "done";
    eid.close();
  } catch (e) {
    if (e.code === "AGENT_UNAVAILABLE") {
      document.getElementById("install-link").href = e.installUrl;
      document.getElementById("install").hidden = false;
    }
    show(e.message);
    document.body.dataset.error = e.code || "ERROR";
  }
});
