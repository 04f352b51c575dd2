package portal

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters: the OWASP password storage recommendation (19 MiB,
// 2 passes, 1 lane), about 20-30 ms on a current core.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// hashSlots bounds concurrent hashes so that a burst of logins cannot
// take argonMemory times the number of requests.
var hashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

var errPHC = errors.New("password hash is not an argon2id PHC string")

func argon(pw string, salt []byte, m, t uint32, p uint8, n uint32) []byte {
	hashSlots <- struct{}{}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(pw), salt, t, m, p, n)
}

// hashPassword returns the PHC string of pw under a fresh salt.
func hashPassword(pw string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("salt: %w", err)
	}
	return phcString(salt, argon(pw, salt, argonMemory, argonTime, argonThreads, argonKeyLen)), nil
}

// phcString is the PHC string of an argon2id sum under the current parameters.
func phcString(salt, sum []byte) string {
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		argonMemory, argonTime, argonThreads, enc.EncodeToString(salt), enc.EncodeToString(sum))
}

// checkPassword compares pw with a PHC string in constant time, using
// the parameters stored with the hash.
func checkPassword(phc, pw string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return false, errPHC
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, errPHC
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errPHC
	}
	got := argon(pw, salt, m, t, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is checked when the username is unknown, so that the answer
// takes as long as for a known one and does not reveal which exist. It is
// made on first use, not at package initialisation: every eidbridge
// command links this package, and a hash holds argonMemory while it runs.
// It needs no real hash, only the stored parameters of one (checkPassword
// spends the same time whatever the expected sum is): a fresh salt and a
// zero sum, which no password is known to hash to (and the caller ignores
// the result anyway).
var dummyHash = sync.OnceValue(func() string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt) // never fails (crypto/rand); any salt would do
	return phcString(salt, make([]byte, argonKeyLen))
})
