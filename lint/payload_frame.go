package lint

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
)

// errTooLarge is returned by framer.next for a value over the size limit.
var errTooLarge = errors.New("value too large")

// A framer splits a stream into JSON values without decoding them: a
// value ends at the end of the line on which its brackets balance. A
// newline ends any string (JSON strings cannot hold one), and a line that
// starts at column 1 with '{' or '[' while a value is still open starts a
// new value, so that one truncated line of JSON Lines, even one cut inside
// a string, does not swallow the rest of the file.
type framer struct {
	r    *bufio.Reader
	max  int
	line int // lines read so far

	buf      []byte
	depth    int
	inString bool
	skipping bool // dropping the rest of a value over the size limit
	start    int  // line the current value starts on
	pending  []byte
}

// next returns the next value, the line it starts on, and io.EOF at the
// end. A value over the size limit returns errTooLarge (wrapped) with its
// line. The value is only valid until the next call.
func (f *framer) next() ([]byte, int, error) {
	f.buf = f.buf[:0]
	if f.pending != nil {
		f.buf = append(f.buf, f.pending...)
		f.pending = nil
		f.scan(f.buf)
		if f.complete() {
			return bytes.TrimSpace(f.buf), f.start, nil
		}
	}
	for {
		line, dropped, err := f.readLine()
		if len(line) == 0 && err != nil {
			if len(f.buf) > 0 || f.skipping {
				return f.finish(f.start)
			}
			return nil, f.start, err
		}
		f.line++
		if dropped {
			start := f.line
			if len(f.buf) > 0 || f.skipping {
				start = f.start
			}
			f.skipping = false
			f.reset()
			return nil, start, fmt.Errorf("%w: a line is longer than %d bytes", errTooLarge, f.max)
		}
		if len(f.buf) == 0 && !f.skipping {
			if isBlank(line) {
				continue
			}
			f.start = f.line
			f.reset()
			f.scan(line)
			if len(line) <= f.max && f.complete() {
				return bytes.TrimSpace(line), f.start, nil // the common case: one value, one line
			}
		} else if (line[0] == '{' || line[0] == '[') && f.depth > 0 {
			// A new value while the previous one is still open.
			start := f.start
			f.pending = append(f.pending[:0], line...)
			val, _, err := f.finish(start)
			f.start = f.line
			return val, start, err
		} else if f.skipping {
			f.scan(line)
			if f.complete() {
				f.skipping = false
				start := f.start
				f.reset()
				return nil, start, fmt.Errorf("%w: a JSON value is larger than %d bytes", errTooLarge, f.max)
			}
			continue
		} else {
			f.scan(line)
		}
		f.buf = append(f.buf, line...)
		if len(f.buf) > f.max {
			f.buf = f.buf[:0]
			if f.complete() {
				start := f.start
				f.reset()
				return nil, start, fmt.Errorf("%w: a JSON value is larger than %d bytes", errTooLarge, f.max)
			}
			f.skipping = true
			continue
		}
		if f.complete() {
			return bytes.TrimSpace(f.buf), f.start, nil
		}
	}
}

// finish returns what is buffered as a (probably broken) value.
func (f *framer) finish(start int) ([]byte, int, error) {
	if f.skipping {
		f.skipping = false
		f.reset()
		return nil, start, fmt.Errorf("%w: a JSON value is larger than %d bytes", errTooLarge, f.max)
	}
	val := bytes.TrimSpace(f.buf)
	f.reset()
	return val, start, nil
}

func (f *framer) reset() { f.depth, f.inString = 0, false }

// complete reports whether the brackets scanned so far balance.
func (f *framer) complete() bool { return f.depth <= 0 && !f.inString }

// structural marks the bytes scan stops at outside strings.
var structural = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// scan advances the bracket and string state over line, one whole line:
// its newline, if any, ends a string left open.
func (f *framer) scan(line []byte) {
	for i := 0; i < len(line); {
		if f.inString {
			j := bytes.IndexByte(line[i:], '"')
			if j < 0 {
				break
			}
			j += i
			bs := 0 // backslashes just before the quote
			for k := j - 1; k >= i && line[k] == '\\'; k-- {
				bs++
			}
			i = j + 1
			if bs%2 == 0 {
				f.inString = false
			}
			continue
		}
		c := line[i]
		i++
		if !structural[c] {
			continue
		}
		switch c {
		case '"':
			f.inString = true
		case '{', '[':
			f.depth++
		default:
			f.depth--
		}
	}
	if len(line) > 0 && line[len(line)-1] == '\n' {
		f.inString = false // a newline ends a (broken) string
	}
}

// isBlank reports whether line holds only JSON whitespace.
func isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// readLine returns the next line including its newline. A line longer
// than the size limit is cut there, and dropped reports it. The returned
// slice is only valid until the next call.
func (f *framer) readLine() (line []byte, dropped bool, err error) {
	line, err = f.r.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, false, err
	}
	long := append([]byte(nil), line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = f.r.ReadSlice('\n')
		if len(long) <= f.max {
			long = append(long, line...)
		} else {
			dropped = true
		}
	}
	return long, dropped, err
}
