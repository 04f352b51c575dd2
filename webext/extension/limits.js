// eidbridge extension: which page connections may start a native host.
//
// Every connection starts an `eidbridge nm-host` process, and any https
// page can ask for connections, so the background worker admits them
// here first: a fixed number at once (never a queue), only for sites the
// agent's configuration allows — or, when the agent asks the citizen about
// new sites (firstContact), for any https site — and not again soon for a
// site the agent refused. The agent still checks every origin itself.
"use strict";

const LIMITS = Object.freeze({
  hosts: 4, // native hosts at once, the origins query included
  perOrigin: 2,
  perTab: 2,
  refreshEvery: 60 * 1000, // at most one origins query a minute
  refusedFor: 10 * 60 * 1000, // a site the agent refused starts nothing this long
  queryTimeout: 5000,
});
const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];
const STATE_KEY = "eidbridgeLimits";

// allowedBy tells whether origin (as URL.origin gives it) matches one of
// the agent's canonical patterns, by the agent's rules: scheme, host and
// port exactly; "*." one or more whole labels.
function allowedBy(origin, patterns) {
  const url = new URL(origin);
  return (patterns || []).some((p) => {
    if (p === origin) return true;
    const m = /^(https?):\/\/\*(\.[^:/[\]]+)(?::(\d+))?$/.exec(p);
    if (!m || url.protocol !== m[1] + ":" || url.port !== (m[3] || "")) return false;
    return url.hostname.endsWith(m[2]) && url.hostname.length > m[2].length;
  });
}

// isLoopback: pages served by this computer. They skip the allowlist
// check (developers run the agent with --allow-origin for them, which
// the configuration file does not show); the limits still apply.
function isLoopback(origin) {
  return LOOPBACK_HOSTS.includes(new URL(origin).hostname);
}

// mayAsk: the agent asks the citizen about https sites outside its
// allowlist, so such a site may start a host (the agent's dialog decides).
function mayAsk(origin, state) {
  return state.firstContact === true && new URL(origin).protocol === "https:";
}

// createLimits keeps the counts in memory and the allowlist and the
// refusals in storage (storage.session where there is one), so a worker
// restart forgets neither. queryOrigins() asks a host for the allowlist
// and resolves to { patterns, firstContact }, or to null.
function createLimits(storage, queryOrigins) {
  const slots = new Set();
  let querying = null; // the origins query under way
  let state = { patterns: null, firstContact: false, queriedAt: 0, refused: {} };
  const loaded = storage
    ? storage.get(STATE_KEY).then((v) => v && v[STATE_KEY] && (state = { ...state, ...v[STATE_KEY] }), () => {})
    : Promise.resolve();
  const save = () => storage && storage.set({ [STATE_KEY]: state }).catch(() => {});
  const inUse = () => slots.size + (querying ? 1 : 0);
  const count = (key, value) => [...slots].filter((s) => s[key] === value).length;
  // within: t is less than span ahead (a clock set back ends the wait too).
  const within = (t, span) => t - Date.now() > 0 && t - Date.now() <= span;

  // refresh starts the origins query unless one ran this last minute,
  // and resolves once the list is as fresh as it may be, or to "full"
  // when no host may start now.
  function refresh() {
    if (querying) return querying;
    if (within(state.queriedAt + LIMITS.refreshEvery, LIMITS.refreshEvery)) return Promise.resolve();
    if (inUse() >= LIMITS.hosts) return Promise.resolve("full");
    state.queriedAt = Date.now();
    querying = queryOrigins().catch(() => null).then((answer) => {
      if (answer) {
        state.patterns = answer.patterns;
        state.firstContact = answer.firstContact;
      }
      querying = null;
      save();
    });
    return querying;
  }

  return {
    // admit takes a slot for a connection, or null when the limits are
    // reached. A slot counts from here, while it waits, until release.
    admit(origin, tab) {
      if (inUse() >= LIMITS.hosts || count("origin", origin) >= LIMITS.perOrigin || count("tab", tab) >= LIMITS.perTab) {
        return null;
      }
      const slot = { origin, tab };
      slots.add(slot);
      return slot;
    },
    release(slot) {
      slots.delete(slot);
    },
    // check resolves to null when origin may start a host now, else to
    // the code to refuse it with.
    async check(origin) {
      await loaded;
      if (within(state.refused[origin], LIMITS.refusedFor)) return "AGENT_UNAVAILABLE";
      const admitted = () => isLoopback(origin) || allowedBy(origin, state.patterns) || mayAsk(origin, state);
      if (admitted()) return null;
      const full = (await refresh()) === "full";
      if (admitted()) return null;
      return full ? "RATE_LIMITED" : "AGENT_UNAVAILABLE";
    },
    // refused remembers that the agent refused origin.
    refused(origin) {
      const now = Date.now();
      for (const [o, until] of Object.entries(state.refused)) if (!within(until, LIMITS.refusedFor)) delete state.refused[o];
      state.refused[origin] = now + LIMITS.refusedFor;
      save();
    },
  };
}
