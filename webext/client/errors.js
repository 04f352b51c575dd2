// Errors of the eidbridge client. Every failure is an EidbridgeError with
// a `code`: one of the agent's codes (docs/protocol.md §4), passed through
// with the agent's message, or one of the client's own below.

/** Where citizens get eidbridge when it is missing; override with options.installUrl. */
export const INSTALL_URL = "https://github.com/eidbridge/eidbridge/blob/main/docs/install.md";

/** The client's own codes, next to the agent's. */
export const ClientCodes = Object.freeze({
  // eidbridge is not installed, not running, or refuses this site (the
  // page cannot tell which, on purpose). error.installUrl says where to get it.
  AGENT_UNAVAILABLE: "AGENT_UNAVAILABLE",
  // transport "extension" was asked for but the extension did not answer.
  EXTENSION_UNAVAILABLE: "EXTENSION_UNAVAILABLE",
  // the agent did not answer within the configured timeout.
  ACTION_TIMEOUT: "ACTION_TIMEOUT",
  // the caller passed a bad argument; nothing was sent.
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
});

/** An error with a machine-readable code and a message fit for the citizen. */
export class EidbridgeError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{installUrl?: string}} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message);
    this.name = "EidbridgeError";
    this.code = code;
    if (extra.installUrl) this.installUrl = extra.installUrl;
  }
}

/** agentUnavailable is the error for "no agent to talk to". */
export function agentUnavailable(installUrl) {
  const url = installUrl || INSTALL_URL;
  return new EidbridgeError(
    ClientCodes.AGENT_UNAVAILABLE,
    `The eidbridge application is not running or not installed on this computer. Install it from ${url}, start it, and try again.`,
    { installUrl: url },
  );
}

/** connectionLost is the error for requests cut off by a closed connection. */
export function connectionLost(installUrl) {
  const url = installUrl || INSTALL_URL;
  return new EidbridgeError(
    ClientCodes.AGENT_UNAVAILABLE,
    "The connection to the eidbridge application was lost. Check that it is running and try again.",
    { installUrl: url },
  );
}
