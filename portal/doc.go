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
//   - Sessions live in memory (a restart logs everybody out; the data in
//     the database survives). Several instances need a shared session and
//     nonce store.
//   - The identity read from the card is kept only in the session until
//     the account is created; logs name citizens by internal id only.
//   - Without SMTP, mail goes to an outbox directory and a mailbox page
//     shows it: a demo facility, served to loopback clients only. Letters
//     (tokens "posted" after a counter request) always go to the outbox,
//     which stands for the print room.
package portal
