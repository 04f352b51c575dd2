// Type declarations for the eidbridge JavaScript client (eidbridge.js).
// The shapes follow docs/protocol.md.

/** The agent's error codes (docs/protocol.md §4) and the client's own. */
export type ErrorCode =
  | "INVALID_REQUEST" | "UNKNOWN_OPERATION" | "NO_READER" | "NO_CARD" | "UNSUPPORTED_CARD"
  | "CARD_REMOVED" | "PIN_BLOCKED" | "USER_CANCELLED" | "USER_TIMEOUT" | "ACTION_PENDING"
  | "BUSY" | "CERTIFICATE_MISMATCH" | "RATE_LIMITED" | "INTERNAL"
  | "AGENT_UNAVAILABLE" | "EXTENSION_UNAVAILABLE" | "ACTION_TIMEOUT" | "INVALID_ARGUMENT";

export declare const INSTALL_URL: string;
export declare const DEFAULT_PORT: 51950;
export declare const DEFAULT_TIMEOUTS: Readonly<Timeouts>;
export declare const EVENTS: readonly EventName[];
export declare const ClientCodes: Readonly<{
  AGENT_UNAVAILABLE: "AGENT_UNAVAILABLE";
  EXTENSION_UNAVAILABLE: "EXTENSION_UNAVAILABLE";
  ACTION_TIMEOUT: "ACTION_TIMEOUT";
  INVALID_ARGUMENT: "INVALID_ARGUMENT";
}>;

/** Every failure: `message` is written for the citizen and may be shown as is. */
export declare class EidbridgeError extends Error {
  readonly name: "EidbridgeError";
  readonly code: ErrorCode | string;
  /** Set on AGENT_UNAVAILABLE and EXTENSION_UNAVAILABLE: where to get eidbridge. */
  readonly installUrl?: string;
  constructor(code: string, message: string, extra?: { installUrl?: string });
}

/** Timeouts in milliseconds. */
export interface Timeouts {
  /** The extension's answer to the page's hello (default 1000). */
  ack: number;
  /** The agent accepting a connection, and answering status, version, cancel (default 5000). */
  agent: number;
  /** An operation waiting for the citizen; the client adds `agent` to it (default 120000). */
  user: number;
}

export interface ConnectOptions {
  /** "auto" (default): the extension when installed, else the websocket. */
  transport?: "auto" | "extension" | "websocket";
  /** The agent's port for the websocket transport (default 51950). */
  port?: number;
  /** The websocket URL, overriding port. */
  url?: string;
  timeouts?: Partial<Timeouts>;
  /** The language of the agent's dialogs (BCP 47, e.g. "nl-BE"); default the page's <html lang>. */
  lang?: string;
  /** Where AGENT_UNAVAILABLE errors send the citizen (default INSTALL_URL). */
  installUrl?: string;
  /** For tests and non-browser use: the window and WebSocket to use. */
  window?: Window;
  WebSocket?: typeof WebSocket;
}

export type EventName = "readerAdded" | "readerRemoved" | "cardInserted" | "cardRemoved" | "disconnected";

export interface ReaderEvent {
  reader: string;
  /** cardInserted only. */
  cardType?: CardType;
}

export type CardType = "beid-1.7" | "beid-1.8" | "unknown";

export interface VersionResult {
  agentVersion: string;
  protocolVersion: string;
  operations: string[];
  events: string[];
}

export interface StatusResult {
  readers: { name: string; cardPresent: boolean; cardType?: CardType }[];
}

/** The Web eID "web-eid:1.0" token: send it to your server unchanged. */
export interface AuthToken {
  unverifiedCertificate: string;
  algorithm: "RS256" | "ES256" | "ES384" | "ES512" | string;
  signature: string;
  format: "web-eid:1.0";
  appVersion: string;
}

export type IdentityItem = "identity" | "address" | "photo";

export interface BirthDate { year: number; month: number; day: number; raw: string }

export interface Identity {
  cardNumber: string;
  chipNumber: string;
  validityStart: string;
  validityEnd: string;
  deliveryMunicipality: string;
  nationalNumber: string;
  surname: string;
  givenNames: string;
  thirdNameInitial: string;
  nationality: string;
  birthLocation: string;
  birthDate: BirthDate;
  sex: string;
  nobleCondition: string;
  documentType: { code: string; raw: string; name: string };
  specialStatus: unknown;
  photoHash: string;
  [more: string]: unknown;
}

export interface Address { streetAndNumber: string; zip: string; municipality: string }

/** Raw card files (base64), for your server to verify against the National Register's signatures. */
export interface IdentityFiles {
  identity?: string;
  identitySignature?: string;
  address?: string;
  addressSignature?: string;
  photo?: string;
  rrnCertificate: string;
}

export interface IdentityResult {
  cardType: CardType;
  identity?: Identity;
  address?: Address;
  files: IdentityFiles;
}

export type HashFunction = "SHA-256" | "SHA-384" | "SHA-512";

export interface SignatureAlgorithm {
  cryptoAlgorithm: "RSA" | "ECC";
  hashFunction: HashFunction;
  paddingScheme: "PKCS1.5" | "NONE";
}

export interface SigningCertificateResult {
  certificate: string;
  supportedSignatureAlgorithms: SignatureAlgorithm[];
}

export interface SignResult {
  /** base64; ECDSA as raw r‖s. */
  signature: string;
  signatureAlgorithm: SignatureAlgorithm;
}

export type Bytes = string | ArrayBuffer | Uint8Array;

export declare class EidbridgeClient {
  /** How this connection reaches the agent. */
  readonly transport: "extension" | "websocket";
  version(): Promise<VersionResult>;
  status(): Promise<StatusResult>;
  authenticate(challengeNonce: string, options?: { format?: "web-eid:1.0" | "web-eid:1.1" }): Promise<AuthToken>;
  readIdentity(include?: IdentityItem[]): Promise<IdentityResult>;
  getSigningCertificate(): Promise<SigningCertificateResult>;
  /** options.description: what is signed, in a few words (at most 200 characters), shown in the PIN dialog. */
  sign(certificate: Bytes, hash: Bytes, hashFunction: HashFunction, options?: { description?: string }): Promise<SignResult>;
  /** Cancels the running operation; resolves to whether there was one. */
  cancel(): Promise<boolean>;
  on(event: "disconnected", listener: (data: Record<string, never>) => void): this;
  on(event: Exclude<EventName, "disconnected">, listener: (data: ReaderEvent) => void): this;
  off(event: EventName, listener: (data: any) => void): this;
  close(): void;
}

export declare function connect(options?: ConnectOptions): Promise<EidbridgeClient>;
