package portal

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"net/http"
	"time"
)

// A browser where the citizen logged in, or proved who they are with the
// eID, gets a signed cookie naming their account. Logins from it pass
// the account's lock: whoever types a citizen's username wrongly locks
// out only the browsers the citizen has never used, so a lockout costs
// the attacker, not the citizen. The per-client rate limit still applies.

const deviceLifetime = 90 * 24 * time.Hour

func (p *Portal) deviceCookie() string {
	if p.cfg.secure() {
		return "__Host-portal-device"
	}
	return "portal-device"
}

// deviceMAC signs citizen and expiry with the portal's key.
func (h codeHasher) deviceMAC(citizen, expires int64) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("device\x00"))
	binary.Write(m, binary.BigEndian, citizen)
	binary.Write(m, binary.BigEndian, expires)
	return m.Sum(nil)[:16]
}

// trustDevice marks this browser as the citizen's.
func (p *Portal) trustDevice(w http.ResponseWriter, citizen int64) {
	expires := p.cfg.Clock().Add(deviceLifetime).Unix()
	b := binary.BigEndian.AppendUint64(nil, uint64(citizen))
	b = binary.BigEndian.AppendUint64(b, uint64(expires))
	b = append(b, p.keys.deviceMAC(citizen, expires)...)
	http.SetCookie(w, &http.Cookie{Name: p.deviceCookie(), Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
		MaxAge: int(deviceLifetime / time.Second), HttpOnly: true, Secure: p.cfg.secure(), SameSite: http.SameSiteLaxMode})
}

// trustedDevice says whether r comes from a browser of the citizen.
func (p *Portal) trustedDevice(r *http.Request, citizen int64) bool {
	c, err := r.Cookie(p.deviceCookie())
	if err != nil {
		return false
	}
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) != 32 {
		return false
	}
	id, expires := int64(binary.BigEndian.Uint64(b)), int64(binary.BigEndian.Uint64(b[8:]))
	return id == citizen && p.cfg.Clock().Unix() < expires && hmac.Equal(b[16:], p.keys.deviceMAC(id, expires))
}
