// A second Web eID extension, for the coexistence test: it acks every
// web-eid: request at once and answers it 100 ms later, never standing
// down. Status succeeds with its own versions; the other actions fail
// with USER_CANCELLED and a message that says who answered.
"use strict";
window.addEventListener("message", (event) => {
  const action = event.data && event.data.action;
  if (event.source !== window || typeof action !== "string" || !/^web-eid:[a-z-]+$/.test(action)) return;
  if (/-(ack|success|failure)$/.test(action) || action === "web-eid:warning") return;
  window.postMessage({ action: action + "-ack" }, location.origin);
  const answer =
    action === "web-eid:status"
      ? { action: action + "-success", library: event.data.libraryVersion, extension: "2.9.0+other", nativeApp: "2.9.0+other" }
      : { action: action + "-failure", error: { code: "ERR_WEBEID_USER_CANCELLED", message: "answered by the other extension" } };
  setTimeout(() => window.postMessage(answer, location.origin), 100);
});
