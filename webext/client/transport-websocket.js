// The direct transport: the page opens the agent's loopback websocket.
// Chromium-based browsers show a one-time "local network access" prompt
// per site for it; the extension transport avoids that prompt.

import { agentUnavailable } from "./errors.js";

/**
 * openWebSocket connects to url and resolves to a transport once the
 * agent accepted the handshake. A refused handshake (a site not in the
 * agent's allowlist) looks exactly like "nothing listens": the agent
 * tells a page nothing, and so this rejects with AGENT_UNAVAILABLE.
 *
 * @param {string} url ws://127.0.0.1:PORT/v1
 * @param {typeof WebSocket} WS the WebSocket constructor
 * @param {number} timeout ms to wait for the handshake
 * @param {string} installUrl for the AGENT_UNAVAILABLE error
 */
export function openWebSocket(url, WS, timeout, installUrl) {
  return new Promise((resolve, reject) => {
    let ws;
    try {
      ws = new WS(url);
    } catch {
      reject(agentUnavailable(installUrl));
      return;
    }
    const transport = {
      kind: "websocket",
      onmessage: () => {},
      onclose: () => {},
      send: (msg) => ws.send(JSON.stringify(msg)),
      close: () => ws.close(1000),
    };
    let open = false;
    const timer = setTimeout(() => {
      ws.close();
      reject(agentUnavailable(installUrl));
    }, timeout);
    ws.onopen = () => {
      open = true;
      clearTimeout(timer);
      resolve(transport);
    };
    ws.onerror = () => {}; // onclose follows and says the rest
    ws.onclose = () => {
      clearTimeout(timer);
      if (!open) reject(agentUnavailable(installUrl));
      else transport.onclose();
    };
    ws.onmessage = (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch {
        return; // the agent sends JSON only
      }
      transport.onmessage(msg);
    };
  });
}
