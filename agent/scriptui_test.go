package agent_test

import (
	"context"
	"sync"

	"github.com/eidbridge/eidbridge/agent/ui"
)

// answer is one scripted reply of the test UI, mirroring what an exec:
// command prints: {"pin": …}, {"allow": true} or {"cancel": true}; hang
// waits for the question's context to end, as a citizen who walked away.
type answer struct {
	pin    string
	allow  bool
	cancel bool
	hang   bool
	site   string // a site question's answer: ui.AnswerOnce or ui.AnswerAlways
	before func() // runs when the question is asked (pull the card…)
}

func pin(p string) answer { return answer{pin: p} }
func allow() answer       { return answer{allow: true} }
func cancel() answer      { return answer{cancel: true} }
func hang() answer        { return answer{hang: true} }
func once() answer        { return answer{site: ui.AnswerOnce} }
func always() answer      { return answer{site: ui.AnswerAlways} }

// scriptUI is a ui.UI answering from a script and recording questions.
type scriptUI struct {
	mu     sync.Mutex
	script []answer
	asked  []ui.Question
	askedC chan ui.Question
}

func newScriptUI(script ...answer) *scriptUI {
	return &scriptUI{script: script, askedC: make(chan ui.Question, 64)}
}

func (s *scriptUI) Ask(ctx context.Context, q ui.Question) ([]byte, error) {
	s.mu.Lock()
	s.asked = append(s.asked, q)
	a := answer{cancel: true} // an unscripted question is refused
	if len(s.script) > 0 {
		a, s.script = s.script[0], s.script[1:]
	}
	s.mu.Unlock()
	s.askedC <- q
	if a.before != nil {
		a.before()
	}
	switch {
	case a.hang || q.PINPad:
		<-ctx.Done()
		return nil, ctx.Err()
	case a.cancel:
		return nil, ui.ErrCancelled
	case q.Kind == ui.KindPIN:
		return []byte(a.pin), nil
	case q.Kind == ui.KindSite && a.site != "":
		return []byte(a.site), nil
	case a.allow:
		return nil, nil
	}
	return nil, ui.ErrCancelled
}

// add appends answers to the script.
func (s *scriptUI) add(a ...answer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, a...)
}

func (s *scriptUI) questions() []ui.Question {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ui.Question(nil), s.asked...)
}
