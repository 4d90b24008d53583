package framework

import (
	"fmt"
	"strconv"
	"strings"
)

// ScheduleExpression is an EventBridge schedule: build one with Rate or Cron.
// An invalid expression is reported as a registration error of the function
// that uses it.
type ScheduleExpression struct {
	expr string
	err  error
}

// String returns the expression as EventBridge reads it, e.g. "rate(5
// minutes)" or "cron(0 10 * * ? *)"; empty when it is invalid.
func (s ScheduleExpression) String() string { return s.expr }

// Err says what is wrong with the expression, or nil.
func (s ScheduleExpression) Err() error { return s.err }

// RateUnit is the unit of a Rate.
type RateUnit string

// Rate units. Rate writes the singular form when the value is 1, as AWS
// requires.
const (
	Minutes RateUnit = "minutes"
	Hours   RateUnit = "hours"
	Days    RateUnit = "days"
)

// Rate returns the schedule "every n units": Rate(1, Hours) is "rate(1
// hour)", Rate(5, Minutes) is "rate(5 minutes)". n must be positive.
func Rate(n int, unit RateUnit) ScheduleExpression {
	switch unit {
	case Minutes, Hours, Days:
	default:
		return ScheduleExpression{err: fmt.Errorf("rate(%d %s): unknown unit %q (want framework.Minutes, Hours or Days)", n, unit, string(unit))}
	}
	if n <= 0 {
		return ScheduleExpression{err: fmt.Errorf("rate(%d %s): the value must be a positive integer", n, unit)}
	}
	u := string(unit)
	if n == 1 {
		u = strings.TrimSuffix(u, "s")
	}
	return ScheduleExpression{expr: fmt.Sprintf("rate(%d %s)", n, u)}
}

// cronField describes one field of a cron expression.
type cronField struct {
	name     string
	min, max int
	names    []string // names for min, min+1, ... (months, weekdays)
	special  string   // extra characters the field allows: ? L W #
}

var cronFields = [6]cronField{
	{name: "minutes", min: 0, max: 59},
	{name: "hours", min: 0, max: 23},
	{name: "day-of-month", min: 1, max: 31, special: "?LW"},
	{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "day-of-week", min: 1, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, special: "?L#"},
	{name: "year", min: 1970, max: 2199},
}

// Cron returns an EventBridge cron schedule (times in UTC), checked against
// AWS's rules: six fields; exactly one of day-of-month and day-of-week is
// "?"; values in range (minutes 0-59, hours 0-23, day-of-month 1-31, month
// 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, year 1970-2199); lists (,),
// ranges (-), steps (/) and wildcards (*) where AWS allows them, plus L and W
// in day-of-month and L and # in day-of-week:
//
//	framework.Cron("0", "10", "*", "*", "?", "*")     // 10:00 UTC every day
//	framework.Cron("0/15", "*", "?", "*", "MON-FRI", "*")
func Cron(minutes, hours, dayOfMonth, month, dayOfWeek, year string) ScheduleExpression {
	fields := []string{minutes, hours, dayOfMonth, month, dayOfWeek, year}
	expr := "cron(" + strings.Join(fields, " ") + ")"
	fail := func(format string, args ...any) ScheduleExpression {
		return ScheduleExpression{err: fmt.Errorf("%s: %s", expr, fmt.Sprintf(format, args...))}
	}
	for i, f := range fields {
		if f == "" || strings.ContainsAny(f, " \t") {
			return fail("the %s field %q must be one non-empty word", cronFields[i].name, f)
		}
		if err := cronFields[i].check(f); err != nil {
			return fail("%s field %q: %v", cronFields[i].name, f, err)
		}
	}
	if (dayOfMonth == "?") == (dayOfWeek == "?") {
		return fail("exactly one of day-of-month (%q) and day-of-week (%q) must be \"?\"", dayOfMonth, dayOfWeek)
	}
	return ScheduleExpression{expr: expr}
}

// check validates one field.
func (c cronField) check(f string) error {
	if f == "?" {
		if !strings.Contains(c.special, "?") {
			return fmt.Errorf("\"?\" is allowed only in day-of-month and day-of-week")
		}
		return nil
	}
	for item := range strings.SplitSeq(f, ",") {
		if err := c.checkItem(item); err != nil {
			return err
		}
	}
	return nil
}

func (c cronField) checkItem(item string) error {
	if item == "" {
		return fmt.Errorf("empty list item")
	}
	if item == "?" {
		return fmt.Errorf("\"?\" must stand alone")
	}
	// Day-of-month: L, LW, nW. Day-of-week: L, nL, n#k.
	if strings.Contains(c.special, "L") {
		if item == "L" || (c.name == "day-of-month" && item == "LW") {
			return nil
		}
	}
	if strings.Contains(c.special, "W") && strings.HasSuffix(item, "W") {
		_, err := c.value(strings.TrimSuffix(item, "W"))
		return err
	}
	if strings.Contains(c.special, "#") && strings.Contains(item, "#") {
		day, nth, _ := strings.Cut(item, "#")
		if _, err := c.value(day); err != nil {
			return err
		}
		if n, err := strconv.Atoi(nth); err != nil || n < 1 || n > 5 {
			return fmt.Errorf("%q: the week number after # must be 1 to 5", item)
		}
		return nil
	}
	if c.name == "day-of-week" && strings.HasSuffix(item, "L") {
		_, err := c.value(strings.TrimSuffix(item, "L"))
		return err
	}
	base, step, hasStep := strings.Cut(item, "/")
	if hasStep {
		n, err := strconv.Atoi(step)
		if err != nil || n < 1 || n > c.max {
			return fmt.Errorf("%q: the step must be an integer from 1 to %d", item, c.max)
		}
	}
	if base == "*" {
		return nil
	}
	lo, hi, isRange := strings.Cut(base, "-")
	a, err := c.value(lo)
	if err != nil {
		return err
	}
	if isRange {
		b, err := c.value(hi)
		if err != nil {
			return err
		}
		if b < a && c.names == nil {
			return fmt.Errorf("%q: the range runs backwards", item)
		}
	}
	return nil
}

// value parses a number or a name of the field and checks its range.
func (c cronField) value(s string) (int, error) {
	for i, n := range c.names {
		if strings.EqualFold(s, n) {
			return c.min + i, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < c.min || n > c.max {
		if c.names != nil {
			return 0, fmt.Errorf("%q is not a value from %d to %d or %s-%s", s, c.min, c.max, c.names[0], c.names[len(c.names)-1])
		}
		return 0, fmt.Errorf("%q is not a value from %d to %d", s, c.min, c.max)
	}
	return n, nil
}
