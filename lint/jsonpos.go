package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// A syntaxError is JSON that does not parse, with the position of the
// problem.
type syntaxError struct {
	line, column int // 1-based
	msg          string
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.line, e.column, e.msg)
}

// DecodeJSON parses exactly one JSON value (surrounding whitespace
// allowed), numbers as json.Number, objects as map[string]any: the form
// package lint, and the packages that read documents after it, work on.
// A syntax error gives its line and column.
func DecodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, positioned(data, err, dec.InputOffset())
	}
	if _, err := dec.Token(); err != io.EOF {
		off := dec.InputOffset()
		off += int64(len(data[off:]) - len(bytes.TrimLeft(data[off:], " \t\r\n")))
		line, col := position(data, off)
		return nil, &syntaxError{line, col, "unexpected data after the top-level value"}
	}
	return v, nil
}

// positioned turns a decoding error into a *syntaxError.
func positioned(data []byte, err error, inputOffset int64) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		off := se.Offset - 1
		if off < 0 {
			off = 0
		}
		line, col := position(data, off)
		return &syntaxError{line, col, se.Error()}
	case errors.Is(err, io.EOF) && len(bytes.TrimSpace(data)) == 0:
		return &syntaxError{1, 1, "empty input: want a JSON value"}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		line, col := position(data, int64(len(data)))
		return &syntaxError{line, col, "unexpected end of input"}
	}
	line, col := position(data, inputOffset)
	return &syntaxError{line, col, err.Error()}
}

// position returns the 1-based line and column (in characters) of byte
// offset off of data.
func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = 1 + bytes.Count(before, []byte("\n"))
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + utf8.RuneCount(before)
}
