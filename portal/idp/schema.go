package idp

import "github.com/eidbridge/eidbridge/portal/store"

// Migration creates the provider's tables; the portal appends it to its
// own list. Requests, tokens and private keys are sealed (seal.go): the
// database alone gives no name, no national number and no key.
var Migration = store.Migration{
	SQLite: `CREATE TABLE oidc_clients (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		secret_hash BLOB NOT NULL,
		redirect_uris TEXT NOT NULL,
		logout_uris TEXT NOT NULL,
		scopes TEXT NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE oidc_requests (
		id TEXT PRIMARY KEY,
		code_hash BLOB UNIQUE,
		code_expires_at INTEGER NOT NULL DEFAULT 0,
		token_id TEXT,
		state BLOB NOT NULL,
		expires_at INTEGER NOT NULL
	);
	CREATE INDEX oidc_requests_expiry ON oidc_requests(expires_at);
	CREATE TABLE oidc_tokens (
		id TEXT PRIMARY KEY,
		client_id TEXT NOT NULL,
		state BLOB NOT NULL,
		expires_at INTEGER NOT NULL
	);
	CREATE INDEX oidc_tokens_expiry ON oidc_tokens(expires_at);
	CREATE TABLE oidc_keys (
		period INTEGER PRIMARY KEY,
		private BLOB NOT NULL,
		created_at INTEGER NOT NULL
	);`,
	Postgres: `CREATE TABLE oidc_clients (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		secret_hash BYTEA NOT NULL,
		redirect_uris TEXT NOT NULL,
		logout_uris TEXT NOT NULL,
		scopes TEXT NOT NULL,
		created_at BIGINT NOT NULL
	);
	CREATE TABLE oidc_requests (
		id TEXT PRIMARY KEY,
		code_hash BYTEA UNIQUE,
		code_expires_at BIGINT NOT NULL DEFAULT 0,
		token_id TEXT,
		state BYTEA NOT NULL,
		expires_at BIGINT NOT NULL
	);
	CREATE INDEX oidc_requests_expiry ON oidc_requests(expires_at);
	CREATE TABLE oidc_tokens (
		id TEXT PRIMARY KEY,
		client_id TEXT NOT NULL,
		state BYTEA NOT NULL,
		expires_at BIGINT NOT NULL
	);
	CREATE INDEX oidc_tokens_expiry ON oidc_tokens(expires_at);
	CREATE TABLE oidc_keys (
		period BIGINT PRIMARY KEY,
		private BYTEA NOT NULL,
		created_at BIGINT NOT NULL
	);`,
}
