package framework

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsonScanner is a validating, allocation-light JSON reader over a string,
// for the dispatch fast path (fastevent.go). It accepts exactly the JSON
// that encoding/json accepts. Anything it cannot decode with encoding/json's
// exact result (invalid UTF-8 or a lone surrogate in a string it returns, a
// value of the wrong type, an ambiguous key) sets bail, and the caller falls
// back to encoding/json. Unescaped strings are returned as substrings of the
// input, without copying.
type jsonScanner struct {
	s    string
	i    int
	bail bool
}

// fail marks the input as one for encoding/json and returns false.
func (d *jsonScanner) fail() bool {
	d.bail = true
	return false
}

func (d *jsonScanner) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (d *jsonScanner) peek() byte {
	d.ws()
	if d.i >= len(d.s) {
		return 0
	}
	return d.s[d.i]
}

// consume skips spaces and then c, or fails.
func (d *jsonScanner) consume(c byte) bool {
	if d.peek() != c {
		return d.fail()
	}
	d.i++
	return true
}

// null consumes a null literal if one is next.
func (d *jsonScanner) null() bool {
	if d.peek() == 'n' && strings.HasPrefix(d.s[d.i:], "null") {
		d.i += 4
		return true
	}
	return false
}

// str reads a string and returns its value as encoding/json decodes it.
func (d *jsonScanner) str() (string, bool) {
	if !d.consume('"') {
		return "", false
	}
	start := d.i
	ascii := true
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			v := d.s[start:d.i]
			d.i++
			if !ascii && !utf8.ValidString(v) {
				return "", d.fail() // encoding/json replaces invalid bytes
			}
			return v, true
		case c == '\\':
			return d.escapedStr(start)
		case c < 0x20:
			return "", d.fail()
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return "", d.fail()
}

// escapedStr finishes reading a string that has escapes from d.i, the first
// backslash; start is the index after the opening quote.
func (d *jsonScanner) escapedStr(start int) (string, bool) {
	b := make([]byte, 0, len(d.s)-start)
	b = append(b, d.s[start:d.i]...)
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(b) {
				return "", d.fail()
			}
			return string(b), true
		case c < 0x20:
			return "", d.fail()
		case c != '\\':
			b = append(b, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.s) {
			return "", d.fail()
		}
		e := d.s[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok || r >= 0xd800 && r < 0xe000 {
				return "", d.fail() // surrogates: left to encoding/json
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", d.fail()
		}
	}
	return "", d.fail()
}

// hex4 reads the four hex digits of a \u escape.
func (d *jsonScanner) hex4() (rune, bool) {
	if d.i+4 > len(d.s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(d.s[d.i : d.i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	d.i += 4
	return r, true
}

// skipStr validates a string without decoding it: any bytes but control
// characters, valid escapes.
func (d *jsonScanner) skipStr() bool {
	if !d.consume('"') {
		return false
	}
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			return true
		case c < 0x20:
			return d.fail()
		case c == '\\':
			if d.i+1 >= len(d.s) {
				return d.fail()
			}
			switch d.s[d.i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				d.i += 2
			case 'u':
				d.i += 2
				if _, ok := d.hex4(); !ok {
					return d.fail()
				}
			default:
				return d.fail()
			}
		default:
			d.i++
		}
	}
	return d.fail()
}

// number validates a number and returns its literal.
func (d *jsonScanner) number() (string, bool) {
	d.ws()
	start := d.i
	if d.i < len(d.s) && d.s[d.i] == '-' {
		d.i++
	}
	switch {
	case d.i < len(d.s) && d.s[d.i] == '0':
		d.i++
	case d.i < len(d.s) && d.s[d.i] >= '1' && d.s[d.i] <= '9':
		d.digits()
	default:
		return "", d.fail()
	}
	if d.i < len(d.s) && d.s[d.i] == '.' {
		d.i++
		if d.digits() == 0 {
			return "", d.fail()
		}
	}
	if d.i < len(d.s) && (d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		d.i++
		if d.i < len(d.s) && (d.s[d.i] == '+' || d.s[d.i] == '-') {
			d.i++
		}
		if d.digits() == 0 {
			return "", d.fail()
		}
	}
	return d.s[start:d.i], true
}

func (d *jsonScanner) digits() int {
	n := 0
	for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
		d.i++
		n++
	}
	return n
}

// literal consumes word (true, false or null).
func (d *jsonScanner) literal(word string) bool {
	if !strings.HasPrefix(d.s[d.i:], word) {
		return d.fail()
	}
	d.i += len(word)
	return true
}

// maxDepth bounds nesting as encoding/json does (it rejects deeper input).
const maxDepth = 10000

// skip validates any value.
func (d *jsonScanner) skip(depth int) bool {
	if depth > maxDepth {
		return d.fail()
	}
	switch d.peek() {
	case '"':
		return d.skipStr()
	case '{':
		return d.object(func(string) bool { return d.skip(depth + 1) })
	case '[':
		return d.array(func() bool { return d.skip(depth + 1) })
	case 't':
		return d.literal("true")
	case 'f':
		return d.literal("false")
	case 'n':
		return d.literal("null")
	default:
		_, ok := d.number()
		return ok
	}
}

// object reads an object, calling member with each key (decoded) to read
// its value.
func (d *jsonScanner) object(member func(key string) bool) bool {
	if !d.consume('{') {
		return false
	}
	if d.peek() == '}' {
		d.i++
		return true
	}
	for {
		k, ok := d.str()
		if !ok || !d.consume(':') || !member(k) {
			return false
		}
		switch d.peek() {
		case ',':
			d.i++
		case '}':
			d.i++
			return true
		default:
			return d.fail()
		}
	}
}

// array reads an array, calling elem to read each element.
func (d *jsonScanner) array(elem func() bool) bool {
	if !d.consume('[') {
		return false
	}
	if d.peek() == ']' {
		d.i++
		return true
	}
	for {
		if !elem() {
			return false
		}
		switch d.peek() {
		case ',':
			d.i++
		case ']':
			d.i++
			return true
		default:
			return d.fail()
		}
	}
}

// end checks that only spaces are left.
func (d *jsonScanner) end() bool {
	d.ws()
	if d.i != len(d.s) {
		return d.fail()
	}
	return true
}

// Typed values, as encoding/json decodes them into Go fields: null leaves
// the field as it was; any other mismatch is an error encoding/json reports,
// so the fast path bails.

// stringField reads a string or null; set reports whether it was a string.
func (d *jsonScanner) stringField() (v string, set, ok bool) {
	if d.null() {
		return "", false, true
	}
	if d.peek() != '"' {
		return "", false, d.fail()
	}
	v, ok = d.str()
	return v, ok, ok
}

// boolField reads true, false or null.
func (d *jsonScanner) boolField() (v, set, ok bool) {
	switch d.peek() {
	case 'n':
		return false, false, d.literal("null")
	case 't':
		return true, true, d.literal("true")
	case 'f':
		return false, true, d.literal("false")
	}
	return false, false, d.fail()
}

// stringsField reads a []string (strings or nulls) or null and counts the
// elements.
func (d *jsonScanner) stringsField() (n int, ok bool) {
	if d.null() {
		return 0, true
	}
	if d.peek() != '[' {
		return 0, d.fail()
	}
	ok = d.array(func() bool {
		n++
		_, _, ok := d.stringField()
		return ok
	})
	return n, ok
}

// int64Field reads an integer that fits int64, or null.
func (d *jsonScanner) int64Field() bool {
	if d.null() {
		return true
	}
	lit, ok := d.number()
	if !ok {
		return false
	}
	if _, err := strconv.ParseInt(lit, 10, 64); err != nil {
		return d.fail()
	}
	return true
}

// validateStruct checks an object against a struct's fields as
// encoding/json would decode it, and returns the last string value of
// fields[capture] (capture < 0: none).
func (d *jsonScanner) validateStruct(fields []jsonField, capture int, depth int) (captured string, ok bool) {
	if d.null() {
		return "", true
	}
	if d.peek() != '{' {
		return "", d.fail()
	}
	ok = d.object(func(key string) bool {
		f := lookupField(fields, key)
		if f < 0 {
			if foldsToField(fields, key) {
				return d.fail()
			}
			return d.skip(depth + 1)
		}
		v, set, ok := d.field(fields[f], depth)
		if set && f == capture {
			captured = v
		}
		return ok
	})
	return captured, ok
}

// field reads the value of a struct field of kind f.kind, as encoding/json
// would decode it. For a string (or a struct whose f.capture field is one)
// it returns the value and whether the input set it.
func (d *jsonScanner) field(f jsonField, depth int) (v string, set, ok bool) {
	switch f.kind {
	case fieldString:
		return d.stringField()
	case fieldInt64:
		return "", false, d.int64Field()
	case fieldBool:
		_, _, ok := d.boolField()
		return "", false, ok
	case fieldAnyMap:
		if d.null() {
			return "", false, true
		}
		if d.peek() != '{' {
			return "", false, d.fail()
		}
		return "", false, d.skip(depth + 1)
	case fieldStringMap, fieldStringsMap:
		if d.null() {
			return "", false, true
		}
		d.countMap(f.kind == fieldStringsMap)
		return "", false, !d.bail
	case fieldStrings:
		_, ok := d.stringsField()
		return "", false, ok
	default: // fieldStruct
		v, ok := d.validateStruct(f.sub, f.capture, depth+1)
		return v, v != "", ok
	}
}

// jsonField is a field of a struct encoding/json decodes into.
type jsonField struct {
	name string
	kind fieldKind
	sub  []jsonField // fieldStruct
	// capture is, for a fieldStruct, the index of the field of sub whose
	// string validateStruct returns when this field is the one captured.
	capture int
}

type fieldKind uint8

const (
	fieldString fieldKind = iota
	fieldInt64
	fieldAnyMap // map[string]interface{}
	fieldStruct // a struct or a pointer to one
	fieldBool
	fieldStringMap  // map[string]string
	fieldStringsMap // map[string][]string
	fieldStrings    // []string
)

func lookupField(fields []jsonField, key string) int {
	for i := range fields {
		if fields[i].name == key {
			return i
		}
	}
	return -1
}

// foldsToField reports whether key matches a field only case-insensitively,
// as encoding/json also accepts: such input goes to encoding/json.
func foldsToField(fields []jsonField, key string) bool {
	for i := range fields {
		if strings.EqualFold(fields[i].name, key) {
			return true
		}
	}
	return false
}
