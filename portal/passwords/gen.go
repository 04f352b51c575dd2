//go:build ignore

// gen writes common.txt from the ranked password list of the npm package
// @zxcvbn-ts/language-common (src/passwords.json, most common first):
//
//	npm pack @zxcvbn-ts/language-common@4.1.3 && tar xzf zxcvbn-ts-language-common-4.1.3.tgz
//	go run gen.go package/src/passwords.json
//
// It keeps the first 10,000 entries and every longer entry (12 characters
// or more) further down, since only those can be typed whole past the
// length rule; lowercased, sorted, without duplicates, one a line.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode/utf8"
)

const (
	top     = 10_000
	longLen = 12
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run gen.go passwords.json")
		os.Exit(2)
	}
	b, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var ranked []string
	if err := json.Unmarshal(b, &ranked); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var keep []string
	for i, p := range ranked {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" || strings.ContainsAny(p, "\r\n") {
			continue
		}
		if i < top || utf8.RuneCountInString(p) >= longLen {
			keep = append(keep, p)
		}
	}
	slices.Sort(keep)
	keep = slices.Compact(keep)
	if err := os.WriteFile("common.txt", []byte(strings.Join(keep, "\n")+"\n"), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("common.txt: %d passwords\n", len(keep))
}
