package review

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats lists the output formats of a review.
var Formats = []string{"text", "markdown", "json"}

// Write renders the report in one of Formats.
func (r *Report) Write(w io.Writer, format string) error {
	switch format {
	case "text":
		_, err := io.WriteString(w, r.Text())
		return err
	case "markdown":
		_, err := io.WriteString(w, r.Markdown())
		return err
	case "json":
		return r.writeJSON(w)
	}
	return fmt.Errorf("unknown format %q (want one of: %s)", format, strings.Join(Formats, ", "))
}

// Summary is the one-line verdict: "2 risk, 1 review, 3 info" or "no
// changes".
func (r *Report) Summary() string {
	if len(r.Findings) == 0 {
		return "no changes"
	}
	n := r.Counts()
	return fmt.Sprintf("%d risk, %d review, %d info", n[Risk], n[Review], n[Info])
}

// groups returns the findings by concern, in concern order.
func (r *Report) groups() [][]Finding {
	var out [][]Finding
	for i, f := range r.Findings {
		if i == 0 || f.Concern != r.Findings[i-1].Concern {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], f)
	}
	return out
}

// Text renders the review for a terminal: a summary line, then the
// findings under a heading per concern.
func (r *Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Review of %s → %s: %s\n", r.Old, r.New, r.Summary())
	for _, g := range r.groups() {
		fmt.Fprintf(&b, "\n%s\n", g[0].Concern)
		for _, f := range g {
			fmt.Fprintf(&b, "  %-6s  %s: %s\n", f.Level, f.Subject, f.Message)
		}
	}
	return b.String()
}

// Markdown renders the review as a pull-request comment: a summary line,
// then a table per concern.
func (r *Report) Markdown() string {
	var b strings.Builder
	summary := r.Summary()
	if n := r.Counts(); n[Risk] > 0 {
		summary = strings.Replace(summary, fmt.Sprintf("%d risk", n[Risk]), fmt.Sprintf("**%d risk**", n[Risk]), 1)
	}
	fmt.Fprintf(&b, "**Template review** of %s → %s: %s\n", mdCode(r.Old), mdCode(r.New), summary)
	for _, g := range r.groups() {
		fmt.Fprintf(&b, "\n### %s\n\n| Level | Subject | Change |\n|---|---|---|\n", g[0].Concern)
		for _, f := range g {
			level := f.Level.String()
			if f.Level == Risk {
				level = "**risk**"
			}
			fmt.Fprintf(&b, "| %s | %s | %s |\n", level, mdCode(f.Subject), mdCell(f.Message))
		}
	}
	return b.String()
}

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "\\", "\\\\")
	for _, c := range []string{"|", "*", "_", "`", "<", ">", "[", "]"} {
		s = strings.ReplaceAll(s, c, "\\"+c)
	}
	return strings.ReplaceAll(s, "\n", " ")
}

// mdCode renders s as inline code that survives any backticks in it, with
// pipes escaped for a table cell.
func mdCode(s string) string {
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	pad := ""
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		pad = " "
	}
	return fence + pad + strings.ReplaceAll(s, "|", "\\|") + pad + fence
}

type jsonFinding struct {
	Concern string `json:"concern"`
	Level   string `json:"level"`
	Subject string `json:"subject"`
	Message string `json:"message"`
}

type jsonReport struct {
	Old      string         `json:"old"`
	New      string         `json:"new"`
	Summary  map[string]int `json:"summary"`
	Findings []jsonFinding  `json:"findings"`
}

func (r *Report) writeJSON(w io.Writer) error {
	n := r.Counts()
	out := jsonReport{Old: r.Old, New: r.New, Findings: []jsonFinding{},
		Summary: map[string]int{"risk": n[Risk], "review": n[Review], "info": n[Info]}}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{Concern: f.Concern.String(), Level: f.Level.String(), Subject: f.Subject, Message: f.Message})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
