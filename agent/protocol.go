package agent

import "encoding/json"

// The wire protocol (docs/protocol.md): JSON text frames on ws://…/v1.
// This file holds only the message shapes and names; the transport
// (listener, handshake, framing, limits) lives in server*.go and conn*.go.

// ProtocolVersion is the version of the message set served on /v1.
const ProtocolVersion = "1"

// Path is the websocket endpoint.
const Path = "/v1"

// MaxMessage is the largest frame the agent reads (64 KiB); a larger one
// closes the connection with 1009 (message too big).
const MaxMessage = 64 << 10

// Operation names.
const (
	OpVersion               = "version"
	OpStatus                = "status"
	OpAuthenticate          = "authenticate"
	OpReadIdentity          = "readIdentity"
	OpGetSigningCertificate = "getSigningCertificate"
	OpSign                  = "sign"
	OpCancel                = "cancel"
)

// Event names; each is pushed to every connection as it happens.
const (
	EventReaderAdded   = "readerAdded"
	EventReaderRemoved = "readerRemoved"
	EventCardInserted  = "cardInserted"
	EventCardRemoved   = "cardRemoved"
)

// Card types: status and cardInserted say CardBeID or CardUnknown;
// readIdentity, after consent, the applet (CardBeID17, CardBeID18).
const (
	CardBeID    = "beid"
	CardBeID17  = "beid-1.7"
	CardBeID18  = "beid-1.8"
	CardUnknown = "unknown"
)

// Request is one message from the page.
type Request struct {
	ID     string          `json:"id"`
	Op     string          `json:"op"`
	Params json.RawMessage `json:"params,omitempty"`
}

// Reply answers one Request: exactly one of Result and Error is set. ID
// is null only when the request was too malformed to carry one.
type Reply struct {
	ID     *string `json:"id"`
	Result any     `json:"result,omitempty"`
	Error  *Error  `json:"error,omitempty"`
}

// EventMessage is pushed by the agent without a request.
type EventMessage struct {
	Event string `json:"event"`
	Data  any    `json:"data"`
}

// ReaderEventData is the data of the four reader and card events.
type ReaderEventData struct {
	Reader   string `json:"reader"`
	CardType string `json:"cardType,omitempty"` // cardInserted only
}

// VersionResult answers version.
type VersionResult struct {
	AgentVersion    string   `json:"agentVersion"`
	ProtocolVersion string   `json:"protocolVersion"`
	Operations      []string `json:"operations"`
	Events          []string `json:"events"`
}

// ReaderStatus is one reader in a status result.
type ReaderStatus struct {
	Name        string `json:"name"`
	CardPresent bool   `json:"cardPresent"`
	CardType    string `json:"cardType,omitempty"`
}

// StatusResult answers status. It never holds identity data.
type StatusResult struct {
	Readers []ReaderStatus `json:"readers"`
}

// AuthenticateParams are authenticate's parameters. The origin is never
// a parameter: it is the handshake's Origin.
type AuthenticateParams struct {
	ChallengeNonce string `json:"challengeNonce"`
	// Format is the token format the site wants: TokenFormat (the
	// default) or TokenFormat11.
	Format string `json:"format,omitempty"`
}

// AuthToken is the Web eID authentication token, "web-eid:1.0" or, with
// the signing certificate, "web-eid:1.1".
type AuthToken struct {
	UnverifiedCertificate string `json:"unverifiedCertificate"` // base64 DER
	Algorithm             string `json:"algorithm"`             // RS256, ES384…
	Signature             string `json:"signature"`             // base64
	Format                string `json:"format"`                // "web-eid:1.0" or "web-eid:1.1"
	AppVersion            string `json:"appVersion"`            // URL with the version
	// web-eid:1.1 only: the signing certificate (base64 DER) and what its
	// key signs, as getSigningCertificate gives them.
	UnverifiedSigningCertificate string               `json:"unverifiedSigningCertificate,omitempty"`
	SupportedSignatureAlgorithms []SignatureAlgorithm `json:"supportedSignatureAlgorithms,omitempty"`
}

// The token formats the agent produces: 1.0 by default, 1.1 when the
// site asks for the signing certificate with the login.
const (
	TokenFormat   = "web-eid:1.0"
	TokenFormat11 = "web-eid:1.1"
)

// ReadIdentityParams select what readIdentity returns.
type ReadIdentityParams struct {
	Include []string `json:"include"`
}

// What readIdentity can include.
const (
	IncludeIdentity = "identity"
	IncludeAddress  = "address"
	IncludePhoto    = "photo"
)

// SignatureAlgorithm is one algorithm the card signs with, named as Web
// eID names them.
type SignatureAlgorithm struct {
	CryptoAlgorithm string `json:"cryptoAlgorithm"` // "RSA" or "ECC"
	HashFunction    string `json:"hashFunction"`    // "SHA-256"…
	PaddingScheme   string `json:"paddingScheme"`   // "PKCS1.5" or "NONE"
}

// SigningCertificateResult answers getSigningCertificate.
type SigningCertificateResult struct {
	Certificate                  string               `json:"certificate"` // base64 DER
	SupportedSignatureAlgorithms []SignatureAlgorithm `json:"supportedSignatureAlgorithms"`
}

// SignParams are sign's parameters.
type SignParams struct {
	Hash         string `json:"hash"`         // base64 digest
	HashFunction string `json:"hashFunction"` // "SHA-256", "SHA-384", "SHA-512"
	Certificate  string `json:"certificate"`  // base64 DER of the signing certificate
	// Description says in a few words what is signed ("Tax return
	// 2026"); the PIN dialog shows it beside the hash's fingerprint.
	Description string `json:"description,omitempty"`
}

// MaxDescription bounds a sign description, in characters.
const MaxDescription = 200

// SignResult answers sign.
type SignResult struct {
	Signature          string             `json:"signature"` // base64; ECDSA as raw r‖s
	SignatureAlgorithm SignatureAlgorithm `json:"signatureAlgorithm"`
}

// CancelParams name the request whose dialog to close.
type CancelParams struct {
	ID string `json:"id"`
}

// CancelResult says whether a pending request was found and cancelled.
type CancelResult struct {
	Cancelled bool `json:"cancelled"`
}
