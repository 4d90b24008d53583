package framework

import "strings"

// The names and ARNs registrations check are matched by hand, not with
// regexp: regexp and the Unicode tables it pulls in would add about 100 KB
// to every bootstrap. Each matcher accepts exactly the strings the regular
// expression in its doc comment matches, and returns the submatch its
// callers measure (patterns_test.go holds every matcher to its regular
// expression, with a table and a differential fuzz target). All classes are
// ASCII: a byte of 0x80 or above is never in one, as no character outside
// ASCII is in the regular expressions' classes.

// charClass is a set of ASCII bytes: lower-case letters, upper-case
// letters and digits when set, and the bytes of extra.
type charClass struct {
	lower, upper, digit bool
	extra               string
}

var (
	partitionChars = charClass{lower: true, extra: "-"}                              // [a-z-]
	regionChars    = charClass{lower: true, digit: true, extra: "-"}                 // [a-z0-9-]
	digitChars     = charClass{digit: true}                                          // [0-9]
	letterChars    = charClass{lower: true, upper: true}                             // [A-Za-z]
	alnumChars     = charClass{lower: true, upper: true, digit: true}                // [0-9A-Za-z]
	wordDashChars  = charClass{lower: true, upper: true, digit: true, extra: "_-"}   // [\w-], [A-Za-z0-9_-]
	bucketEnds     = charClass{lower: true, digit: true}                             // [a-z0-9]
	bucketChars    = charClass{lower: true, digit: true, extra: ".-"}                // [a-z0-9.-]
	busChars       = charClass{lower: true, upper: true, digit: true, extra: "._/-"} // [A-Za-z0-9._/-]
	streamChars    = charClass{lower: true, upper: true, digit: true, extra: "_.-"}  // [A-Za-z0-9_.-]
	labelChars     = charClass{lower: true, upper: true, digit: true, extra: ":.-"}  // [0-9A-Za-z:.-]
)

// has reports whether c is in the class.
func (k charClass) has(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z':
		return k.lower
	case 'A' <= c && c <= 'Z':
		return k.upper
	case '0' <= c && c <= '9':
		return k.digit
	}
	return strings.IndexByte(k.extra, c) >= 0
}

// every reports whether every byte of s is in the class (true for "").
func (k charClass) every(s string) bool {
	for i := 0; i < len(s); i++ {
		if !k.has(s[i]) {
			return false
		}
	}
	return true
}

// some1 reports whether s is one or more bytes of the class (class+).
func (k charClass) some1(s string) bool { return s != "" && k.every(s) }

// matches reports whether match accepts s.
func matches(match func(string) (string, bool), s string) bool {
	_, ok := match(s)
	return ok
}

// matchWithin reports whether match accepts s with a submatch of min to max
// bytes.
func matchWithin(match func(string) (string, bool), s string, min, max int) bool {
	sub, ok := match(s)
	return ok && len(sub) >= min && len(sub) <= max
}

// arnResource returns the resource of an ARN of service written as
// arn:aws[a-z-]*:SERVICE:[a-z0-9-]+:[0-9]{12}:RESOURCE. The fields before
// the resource hold no ':', so the first five colons delimit them; the
// resource may hold more.
func arnResource(s, service string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "arn:aws")
	if !ok {
		return "", false
	}
	var partition, svc, region, account string
	if partition, rest, ok = strings.Cut(rest, ":"); !ok || !partitionChars.every(partition) {
		return "", false
	}
	if svc, rest, ok = strings.Cut(rest, ":"); !ok || svc != service {
		return "", false
	}
	if region, rest, ok = strings.Cut(rest, ":"); !ok || !regionChars.some1(region) {
		return "", false
	}
	if account, rest, ok = strings.Cut(rest, ":"); !ok || len(account) != 12 || !digitChars.every(account) {
		return "", false
	}
	return rest, true
}

// userPoolARN matches
// ^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[\w-]+_[0-9a-zA-Z]+$
// and returns the whole ARN.
func userPoolARN(s string) (string, bool) {
	res, ok := arnResource(s, "cognito-idp")
	if !ok {
		return "", false
	}
	id, ok := strings.CutPrefix(res, "userpool/")
	if !ok || !wordDashChars.every(id) {
		return "", false
	}
	// [\w-]+ takes '_' too, so the separator is the last '_': what follows
	// it must be [0-9a-zA-Z]+, and something must precede it.
	sep := strings.LastIndexByte(id, '_')
	if sep < 1 || !alnumChars.some1(id[sep+1:]) {
		return "", false
	}
	return s, true
}

// replaceCaptures replaces every `\{[^}]+\}` of a resource path (its
// {captures}) with "*", as regexp's ReplaceAllString would.
func replaceCaptures(path string) string {
	var b strings.Builder
	done := 0 // path[:done] is written
	for i := 0; i < len(path); i++ {
		if path[i] != '{' {
			continue
		}
		end := strings.IndexByte(path[i+1:], '}')
		if end < 0 {
			break // no later '{' has a '}' after it either
		}
		if end == 0 {
			continue // "{}": [^}]+ needs a byte; try the next '{'
		}
		b.WriteString(path[done:i])
		b.WriteByte('*')
		i += end + 1 // the '}'
		done = i + 1
	}
	if done == 0 {
		return path
	}
	b.WriteString(path[done:])
	return b.String()
}

// fifoName matches ^([A-Za-z0-9_-]+(?:\.fifo)?)$ (an SNS topic or SQS
// queue name) and returns the name.
func fifoName(s string) (string, bool) {
	if !wordDashChars.some1(strings.TrimSuffix(s, ".fifo")) {
		return "", false
	}
	return s, true
}

// snsARN matches
// ^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:([A-Za-z0-9_-]+(?:\.fifo)?)$
// and returns the topic name.
func snsARN(s string) (string, bool) { return fifoARN(s, "sns") }

// sqsARN matches
// ^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:([A-Za-z0-9_-]+(?:\.fifo)?)$
// and returns the queue name.
func sqsARN(s string) (string, bool) { return fifoARN(s, "sqs") }

func fifoARN(s, service string) (string, bool) {
	res, ok := arnResource(s, service)
	if !ok {
		return "", false
	}
	return fifoName(res)
}

// bucketName matches ^([a-z0-9][a-z0-9.-]*[a-z0-9])$ and returns the name.
func bucketName(s string) (string, bool) {
	n := len(s)
	if n < 2 || !bucketEnds.has(s[0]) || !bucketEnds.has(s[n-1]) || !bucketChars.every(s[1:n-1]) {
		return "", false
	}
	return s, true
}

// s3EventType matches ^s3:[A-Za-z]+(:[A-Za-z]+|:\*)?$ and returns the whole
// event type.
func s3EventType(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "s3:")
	if !ok {
		return "", false
	}
	name, kind, hasKind := strings.Cut(rest, ":")
	if !letterChars.some1(name) || hasKind && kind != "*" && !letterChars.some1(kind) {
		return "", false
	}
	return s, true
}

// busName matches ^([A-Za-z0-9._/-]+)$ and returns the name.
func busName(s string) (string, bool) {
	if !busChars.some1(s) {
		return "", false
	}
	return s, true
}

// busARN matches
// ^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/([A-Za-z0-9._/-]+)$
// and returns the bus name.
func busARN(s string) (string, bool) {
	res, ok := arnResource(s, "events")
	if !ok {
		return "", false
	}
	name, ok := strings.CutPrefix(res, "event-bus/")
	if !ok {
		return "", false
	}
	return busName(name)
}

// dynamoStreamARN matches
// ^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/([A-Za-z0-9_.-]+)/stream/[0-9A-Za-z:.-]+$
// and returns the table name.
func dynamoStreamARN(s string) (string, bool) {
	res, ok := arnResource(s, "dynamodb")
	if !ok {
		return "", false
	}
	res, ok = strings.CutPrefix(res, "table/")
	if !ok {
		return "", false
	}
	// The table name holds no '/', so it ends at the first one.
	table, label, ok := strings.Cut(res, "/")
	if !ok || !streamChars.some1(table) {
		return "", false
	}
	label, ok = strings.CutPrefix(label, "stream/")
	if !ok || !labelChars.some1(label) {
		return "", false
	}
	return table, true
}

// kinesisName matches ^([A-Za-z0-9_.-]+)$ and returns the name.
func kinesisName(s string) (string, bool) {
	if !streamChars.some1(s) {
		return "", false
	}
	return s, true
}

// kinesisARN matches
// ^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/([A-Za-z0-9_.-]+)$
// and returns the stream name.
func kinesisARN(s string) (string, bool) {
	res, ok := arnResource(s, "kinesis")
	if !ok {
		return "", false
	}
	name, ok := strings.CutPrefix(res, "stream/")
	if !ok {
		return "", false
	}
	return kinesisName(name)
}
