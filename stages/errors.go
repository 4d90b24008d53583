package stages

import (
	"fmt"
	"slices"
	"strings"
)

// Error is one problem in a config file, at the position of the offending
// key or value.
type Error struct {
	// File is the config file as shown to the user, e.g.
	// ".chalice/config.json" (relative to the app directory).
	File string
	// Line and Column are 1-based; 0 when the problem has no position.
	Line, Column int
	// Path is the dotted key path, e.g. "stages.prod.lambda_memory_size".
	Path string
	// Msg says what is wrong.
	Msg string
}

// Error formats e as "file:line:col: path: msg".
func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += fmt.Sprintf(":%d:%d", e.Line, e.Column)
	}
	if e.Path != "" {
		s += ": " + e.Path
	}
	return s + ": " + e.Msg
}

// where is the "file:line:col: path" prefix of e, kept in Value.Where.
func (e *Error) where() string {
	w := *e
	w.Msg = ""
	s := w.Error()
	return s[:len(s)-2]
}

// didYouMean returns ` (did you mean "x"?)` for the candidate closest to
// name, if one is close enough (a few edits, case-insensitive, or a prefix
// either way), else "".
func didYouMean(name string, candidates []string) string {
	best, bestD := "", max(1, len(name)/3)+1
	for _, c := range slices.Sorted(slices.Values(candidates)) {
		n, lc := strings.ToLower(name), strings.ToLower(c)
		d := levenshtein(n, lc)
		if len(n) >= 4 && (strings.HasPrefix(lc, n) || strings.HasPrefix(n, lc)) {
			d = min(d, 1) // a truncated or extended key
		}
		if d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
