// Online token request: ask the local eidbridge agent to authenticate
// with the server's nonce and to read the identity, then post both to the
// server, which verifies them. Self-contained on purpose.
(function () {
  "use strict";
  var root = document.getElementById("eid-request");
  var button = document.getElementById("eid-start");
  var status = document.getElementById("eid-status");
  if (!root || !button) return;
  var msg = root.dataset;

  function show(text) { status.textContent = text; }
  function fail(text) { show(text || msg.msgFailed); button.disabled = false; }

  function post(path, body) {
    return fetch(path, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": msg.csrf },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.message || msg.msgFailed);
        return j;
      });
    });
  }

  // agentCalls opens the websocket and runs calls one after the other;
  // events the agent pushes (no id) are ignored.
  function agentCalls(calls) {
    return new Promise(function (resolve, reject) {
      var ws, results = [], i = 0;
      try { ws = new WebSocket(msg.agent); } catch (e) { reject(new Error(msg.msgNoagent)); return; }
      var opened = false;
      function next() {
        if (i === calls.length) { ws.close(); resolve(results); return; }
        show(calls[i].status);
        ws.send(JSON.stringify({ id: String(i + 1), op: calls[i].op, params: calls[i].params }));
      }
      ws.onopen = function () { opened = true; next(); };
      ws.onerror = function () { if (!opened) reject(new Error(msg.msgNoagent)); };
      ws.onclose = function () { if (i < calls.length) reject(new Error(opened ? msg.msgFailed : msg.msgNoagent)); };
      ws.onmessage = function (ev) {
        var m;
        try { m = JSON.parse(ev.data); } catch (e) { return; }
        if (m.id !== String(i + 1)) return;
        if (m.error) { i = calls.length + 1; ws.close(); reject(new Error(msg.msgFailed + " (" + m.error.code + ")")); return; }
        results.push(m.result); i++; next();
      };
    });
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    show(msg.msgConnecting);
    var nonce;
    post("/request/challenge").then(function (j) {
      nonce = j.nonce;
      return agentCalls([
        { op: "authenticate", params: { challengeNonce: nonce }, status: msg.msgCard },
        { op: "readIdentity", params: { include: ["identity", "address"] }, status: msg.msgIdentity }
      ]);
    }).then(function (r) {
      show(msg.msgVerifying);
      return post("/request/verify", { nonce: nonce, token: r[0], identity: r[1].files });
    }).then(function (j) {
      window.location.assign(j.next);
    }).catch(function (e) { fail(e.message); });
  });
})();
