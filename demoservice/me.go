package demoservice

import (
	"slices"
	"strings"
)

// mePage is the logged-in page's content, in the citizen's language.
type mePage struct {
	Name     string
	How      string // how the citizen logged in, in words
	Given    string
	Family   string
	ACR      string
	AMR      []amrItem
	AuthTime string
	Sub      string
	CSRF     string
}

// amrItem is one authentication method: the provider's value and, when
// the service knows it, what it means.
type amrItem struct {
	Value, Words string
}

// knownAMR are the methods the portal names (RFC 8176 values).
var knownAMR = []string{"pwd", "otp", "mfa", "sc", "pin"}

func (s *Service) mePage(cat *catalog, sess session) page {
	a := sess.acct
	m := &mePage{Name: a.Name, How: how(cat, a.ACR), Given: a.GivenName, Family: a.FamilyName,
		ACR: a.ACR, Sub: a.Sub, CSRF: sess.csrf}
	if m.Name == "" {
		m.Name = strings.TrimSpace(a.GivenName + " " + a.FamilyName)
	}
	for _, v := range a.AMR {
		it := amrItem{Value: v}
		if slices.Contains(knownAMR, v) {
			it.Words = cat.T("amr." + v)
		}
		m.AMR = append(m.AMR, it)
	}
	if !a.AuthTime.IsZero() {
		m.AuthTime = timeIn(cat, a.AuthTime)
	}
	return page{L: cat, Heading: cat.T("me.title", m.Name), Me: m}
}

// how says in words how the citizen logged in, from the acr.
func how(cat *catalog, acr string) string {
	switch acr {
	case ACRToken:
		return cat.T("me.how.token")
	case ACREID:
		return cat.T("me.how.eid")
	}
	return cat.T("me.how.other", acr)
}
