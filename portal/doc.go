// Package portal is the federal token portal: a reference relying party
// that shows how a website uses eidbridge. A citizen requests a federal
// token (24 personal codes of 6 letters) online by proving their identity
// with their eID through the local agent, or at a registration desk where
// an officer checks the identity by hand; they then log in with username,
// password and one of the 24 codes.
//
// Design choices, each a trade-off a real site may revisit:
//
//   - Passwords are hashed with argon2id (OWASP parameters: 19 MiB, 2
//     passes, 1 lane) in PHC string form, so parameters can change later;
//     at most GOMAXPROCS hashes run at once to bound memory.
//   - Token codes are stored as HMAC-SHA-256 under a key kept in a file
//     beside, not inside, the database, over serial, position and code: a
//     leaked database alone reveals nothing, a hash cannot be moved to
//     another position or token, and a check costs microseconds. A slow
//     hash would not help much: 26^6 codes are too few to resist an
//     offline search by anyone holding the key anyway, and the code is
//     only asked after the argon2id password check, behind the rate limit
//     and the lock.
//   - The code position is chosen when the password has been accepted and
//     stored with the account until a login succeeds, so that asking again
//     (new session, new attempt) cannot shop for a position whose code a
//     thief happens to know.
//   - A new password has at least 12 characters and is not one that
//     attackers try first: on a list of 10,283 common passwords (in any
//     case, with letters written as digits, or with a few digits or
//     symbols added), a run along the keyboard, a repeat, or made of the
//     username, e-mail address or name. The check is offline; the list
//     is read on first use. No composition rules (NIST SP 800-63B).
//   - Wrong passwords or codes count per account; after
//     Config.MaxLoginFailures the account locks for Config.LockDuration (a
//     timed lock, so that nobody can lock a citizen out for good by typing
//     their username). Proving one's identity with the eID unlocks.
//   - Storage is SQLite in the data directory (one instance: the demo, a
//     small site) or PostgreSQL (Config.Database), which any number of
//     identical instances share behind a load balancer without sticky
//     sessions (package store; the SQL is written once). Whatever a
//     request may need from another instance is in the database:
//     sessions (under the hash of their id), challenge nonces (each taken
//     by one DELETE … RETURNING, so accepted once at any instance), the
//     CSRF key, login failures, locks and the pending code position,
//     activation codes (claimed by one conditional UPDATE). A token
//     request locks the citizen's row, so two at once leave one active
//     token. Each step is one transaction: with the database down the
//     citizen gets a 503 page and nothing is half-written; the pool
//     reconnects by itself. Memory holds only what is per instance by
//     nature: the per-client rate limits and hash queue (each instance
//     bounds its own CPU) and the mail breakers.
//   - The token code key is a file in the data directory, never in the
//     database: every instance needs the same file, and one with another
//     key refuses to start (the database keeps an HMAC to compare).
//   - E-mail goes through an outbox in the database (outbox.go): the
//     transaction that records what a message carries queues it, sealed,
//     so a rollback sends nothing; after the commit the request tries it
//     once, and every instance's worker drains what is left, with
//     back-off, each citizen's in the order they were queued. A crash
//     between the relay's acceptance and the row's deletion sends a
//     message twice, never none.
//   - Letters (the desk's tokens) go through a queue in the database
//     that every instance drains: queued, sealed under a key derived
//     from the code key, in the activation's transaction, then written
//     at once; a letter that could not be written is retried with
//     back-off by whichever instance claims it (a lease), so none is
//     lost when an instance dies, and at worst the print room gets one
//     letter twice, with the same codes.
//   - The identity read from the card is kept only in the session (in
//     the database's sessions table) until the account is created; logs
//     name citizens by internal id only.
//   - Without SMTP, mail goes to an outbox directory and a mailbox page
//     shows it: a demo facility, served to loopback clients only. Letters
//     (tokens "posted" after a counter request) always go to the outbox,
//     which stands for the print room.
package portal
