package framework

import (
	"regexp"
	"sync"
)

// pattern is a regular expression compiled on first use. Registration runs
// at every cold start (main registers everything before Run), so the
// framework compiles no pattern at package init and only the patterns the
// app's registrations need; none of them uses large counted repetitions such
// as {1,256}, which cost milliseconds to compile. Lengths are checked apart.
type pattern struct {
	src string
	re  func() *regexp.Regexp
}

func newPattern(src string) *pattern {
	return &pattern{src: src, re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(src) })}
}

// match reports whether s matches, and returns the submatches.
func (p *pattern) match(s string) []string { return p.re().FindStringSubmatch(s) }

// matches reports whether s matches.
func (p *pattern) matches(s string) bool { return p.re().MatchString(s) }

// matchesWithin reports whether s matches and its submatch group is between
// minLen and maxLen bytes long.
func (p *pattern) matchesWithin(s string, group, minLen, maxLen int) bool {
	m := p.match(s)
	return m != nil && len(m[group]) >= minLen && len(m[group]) <= maxLen
}
