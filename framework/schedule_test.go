package framework

import (
	"strings"
	"testing"
)

func TestRate(t *testing.T) {
	tests := []struct {
		n       int
		unit    RateUnit
		want    string
		wantErr string
	}{
		{1, Minutes, "rate(1 minute)", ""},
		{5, Minutes, "rate(5 minutes)", ""},
		{1, Hours, "rate(1 hour)", ""},
		{12, Hours, "rate(12 hours)", ""},
		{1, Days, "rate(1 day)", ""},
		{7, Days, "rate(7 days)", ""},
		{0, Minutes, "", "positive"},
		{-3, Hours, "", "positive"},
		{1, RateUnit("weeks"), "", "unknown unit"},
		{2, RateUnit("minute"), "", "unknown unit"},
	}
	for _, tt := range tests {
		got := Rate(tt.n, tt.unit)
		if got.String() != tt.want {
			t.Errorf("Rate(%d, %q) = %q, want %q", tt.n, tt.unit, got.String(), tt.want)
		}
		if tt.wantErr == "" && got.Err() != nil {
			t.Errorf("Rate(%d, %q): unexpected error %v", tt.n, tt.unit, got.Err())
		}
		if tt.wantErr != "" && (got.Err() == nil || !strings.Contains(got.Err().Error(), tt.wantErr)) {
			t.Errorf("Rate(%d, %q): error %v, want one containing %q", tt.n, tt.unit, got.Err(), tt.wantErr)
		}
	}
}

func TestCron(t *testing.T) {
	tests := []struct {
		fields  [6]string
		want    string
		wantErr string
	}{
		{[6]string{"0", "10", "*", "*", "?", "*"}, "cron(0 10 * * ? *)", ""},
		{[6]string{"15", "12", "?", "*", "MON-FRI", "*"}, "cron(15 12 ? * MON-FRI *)", ""},
		{[6]string{"0/15", "*", "?", "*", "2-6", "*"}, "cron(0/15 * ? * 2-6 *)", ""},
		{[6]string{"0", "8", "1,15", "JAN-JUN", "?", "2027-2030"}, "cron(0 8 1,15 JAN-JUN ? 2027-2030)", ""},
		{[6]string{"0", "18", "L", "*", "?", "*"}, "cron(0 18 L * ? *)", ""},
		{[6]string{"0", "9", "3W", "*", "?", "*"}, "cron(0 9 3W * ? *)", ""},
		{[6]string{"0", "9", "?", "*", "6L", "*"}, "cron(0 9 ? * 6L *)", ""},
		{[6]string{"0", "10", "?", "*", "MON#2", "*"}, "cron(0 10 ? * MON#2 *)", ""},
		{[6]string{"*/5", "0-23/2", "*", "*", "?", "*"}, "cron(*/5 0-23/2 * * ? *)", ""},
		// invalid forms
		{[6]string{"0", "10", "*", "*", "*", "*"}, "", "exactly one of day-of-month"},
		{[6]string{"0", "10", "?", "*", "?", "*"}, "", "exactly one of day-of-month"},
		{[6]string{"60", "10", "*", "*", "?", "*"}, "", "minutes field"},
		{[6]string{"0", "24", "*", "*", "?", "*"}, "", "hours field"},
		{[6]string{"0", "10", "0", "*", "?", "*"}, "", "day-of-month field"},
		{[6]string{"0", "10", "32", "*", "?", "*"}, "", "day-of-month field"},
		{[6]string{"0", "10", "*", "13", "?", "*"}, "", "month field"},
		{[6]string{"0", "10", "*", "FOO", "?", "*"}, "", "month field"},
		{[6]string{"0", "10", "?", "*", "8", "*"}, "", "day-of-week field"},
		{[6]string{"0", "10", "?", "*", "MON#6", "*"}, "", "week number"},
		{[6]string{"0", "10", "*", "*", "?", "1969"}, "", "year field"},
		{[6]string{"0/0", "10", "*", "*", "?", "*"}, "", "step"},
		{[6]string{"0/x", "10", "*", "*", "?", "*"}, "", "step"},
		{[6]string{"30-10", "10", "*", "*", "?", "*"}, "", "backwards"},
		{[6]string{"?", "10", "*", "*", "?", "*"}, "", "only in day-of-month"},
		{[6]string{"1,,2", "10", "*", "*", "?", "*"}, "", "empty list item"},
		{[6]string{"", "10", "*", "*", "?", "*"}, "", "non-empty word"},
		{[6]string{"0 1", "10", "*", "*", "?", "*"}, "", "non-empty word"},
		{[6]string{"0", "L", "*", "*", "?", "*"}, "", "hours field"},
	}
	for _, tt := range tests {
		f := tt.fields
		got := Cron(f[0], f[1], f[2], f[3], f[4], f[5])
		if got.String() != tt.want {
			t.Errorf("Cron%q = %q, want %q", f, got.String(), tt.want)
		}
		if tt.wantErr == "" && got.Err() != nil {
			t.Errorf("Cron%q: unexpected error %v", f, got.Err())
		}
		if tt.wantErr != "" && (got.Err() == nil || !strings.Contains(got.Err().Error(), tt.wantErr)) {
			t.Errorf("Cron%q: error %v, want one containing %q", f, got.Err(), tt.wantErr)
		}
	}
}
