package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/gochalice/gochalice/framework"
)

// The questions live in the code (questions.json, embedded): they are
// reviewed and versioned with the code that checks the answers, each deploy
// ships the set it was tested with, and there is no table to seed or keep
// in step with the code.
//
//go:embed questions.json
var questionsJSON []byte

// Question is one quiz question as players see it (without the answer).
type Question struct {
	ID       string   `json:"id"`
	Question string   `json:"question"`
	Options  []string `json:"options"`
}

type entry struct {
	Question
	Answer string `json:"answer"`
}

// questions is the quiz, in order.
var questions = mustQuestions(questionsJSON)

// mustQuestions decodes and checks the embedded questions: a broken file is
// a programmer error, found by every test and every start.
func mustQuestions(data []byte) []entry {
	var qs []entry
	if err := json.Unmarshal(data, &qs); err != nil {
		panic(fmt.Sprintf("questions.json: %v", err))
	}
	seen := map[string]bool{}
	for _, q := range qs {
		if q.ID == "" || seen[q.ID] {
			panic(fmt.Sprintf("questions.json: question %q: an empty or repeated id", q.ID))
		}
		seen[q.ID] = true
		found := false
		for _, o := range q.Options {
			found = found || o == q.Answer
		}
		if !found {
			panic(fmt.Sprintf("questions.json: question %s: the answer %q is not one of its options", q.ID, q.Answer))
		}
	}
	return qs
}

func find(id string) (entry, error) {
	for _, q := range questions {
		if q.ID == id {
			return q, nil
		}
	}
	return entry{}, framework.NotFound("no question " + id)
}

func listQuestions(r *framework.Request, _ framework.NoBody) ([]Question, error) {
	out := make([]Question, len(questions))
	for i, q := range questions {
		out[i] = q.Question
	}
	return out, nil
}

func getQuestion(r *framework.Request, _ framework.NoBody) (Question, error) {
	q, err := find(r.PathParam("id"))
	if err != nil {
		return Question{}, err
	}
	return q.Question, nil
}

// correct reports whether answer is q's answer (case and spaces aside).
func (q entry) correct(answer string) bool {
	return strings.EqualFold(strings.TrimSpace(answer), q.Answer)
}
