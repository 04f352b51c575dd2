// Package idp makes the portal an OpenID Connect provider: government
// services log citizens in with the authorization code flow (PKCE
// required), and the citizen proves who they are at the portal with the
// federal token or the eID. The protocol is github.com/zitadel/oidc/v3's
// (a certified implementation); this package is its storage on the
// portal's database — registered services, authorization requests and
// codes, access tokens, signing keys — so that any number of portal
// instances serve one provider.
//
// What a service learns: a subject identifier of its own (pairwise: two
// services cannot match their citizens by it), the name when it may ask
// for the profile, how the citizen logged in (acr, amr, auth_time), and
// the national register number only when the service is registered for
// it and the citizen agreed at that login.
package idp
