package portal

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
)

func TestNewCodes(t *testing.T) {
	counts := map[rune]int{}
	const rounds = 400
	for range rounds {
		codes, err := newCodes()
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if len(c) != CodeLength || strings.Trim(c, letters) != "" || seen[c] {
				t.Fatalf("bad or repeated code %q in %v", c, codes)
			}
			seen[c] = true
			for _, r := range c {
				counts[r]++
			}
		}
		if len(codes) != CodeCount {
			t.Fatalf("%d codes", len(codes))
		}
	}
	// Every letter appears; none strays far from the mean (26 letters,
	// 57600 draws: mean 2215, σ ≈ 46; ±10σ flags only a real bias).
	mean := rounds * CodeCount * CodeLength / len(letters)
	for _, r := range letters {
		if d := counts[r] - mean; d > 460 || d < -460 {
			t.Errorf("letter %c drawn %d times, mean %d", r, counts[r], mean)
		}
	}
}

// TestRandomStringUniform checks the rejection rule on an alphabet that
// does not divide 256: with a plain modulo the first 256 mod 10 = 6
// digits would come out 26/25 as often (a 4% excess, about 13σ here).
func TestRandomStringUniform(t *testing.T) {
	s, err := randomString("0123456789", 200_000)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[rune]int{}
	for _, r := range s {
		counts[r]++
	}
	for r, n := range counts {
		if n < 19_400 || n > 20_600 { // mean 20000, σ ≈ 134
			t.Errorf("digit %c drawn %d times", r, n)
		}
	}
}

func TestNewPosition(t *testing.T) {
	seen := map[int]bool{}
	for range 2000 {
		p, err := newPosition()
		if err != nil || p < 1 || p > CodeCount {
			t.Fatalf("position %d (%v)", p, err)
		}
		seen[p] = true
	}
	if len(seen) != CodeCount {
		t.Errorf("%d of %d positions drawn", len(seen), CodeCount)
	}
}

func TestCodeHashBinding(t *testing.T) {
	h := codeHasher{key: []byte("0123456789abcdef0123456789abcdef")}
	base := h.codeHash("1234-5678-9012", 3, "ABCDEF")
	for _, other := range [][]byte{h.codeHash("1234-5678-9013", 3, "ABCDEF"), h.codeHash("1234-5678-9012", 4, "ABCDEF"),
		h.codeHash("1234-5678-9012", 3, "ABCDEG"), codeHasher{key: []byte("another key of thirty-two bytes!")}.codeHash("1234-5678-9012", 3, "ABCDEF")} {
		if string(other) == string(base) {
			t.Error("hash does not depend on serial, position, code and key")
		}
	}
}

func TestPassword(t *testing.T) {
	h, err := hashPassword("pa$$word with spaces")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := hashPassword("pa$$word with spaces")
	if h == h2 || !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hashes %q, %q: want argon2id with a fresh salt", h, h2)
	}
	for pw, want := range map[string]bool{"pa$$word with spaces": true, "pa$$word with space": false, "": false} {
		if ok, err := checkPassword(h, pw); ok != want || err != nil {
			t.Errorf("check %q: %v %v", pw, ok, err)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=0,t=1,p=1$AAAA$AAAA"} {
		if _, err := checkPassword(bad, "x"); err == nil {
			t.Errorf("%q accepted as a hash", bad)
		}
	}
}

// Instances started together on a fresh data directory all get the one
// key that ends up in the file.
func TestCodeKeyCreatedOnceConcurrently(t *testing.T) {
	dir := t.TempDir()
	keys := make([]codeHasher, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			var err error
			if keys[i], err = loadKey(dir); err != nil {
				t.Errorf("instance %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	for i, k := range keys {
		if !bytes.Equal(k.key, keys[0].key) {
			t.Fatalf("instance %d has another key", i)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the data directory, want the key alone", len(ents))
	}
}
