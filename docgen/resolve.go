package docgen

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
)

// maxRefHops bounds how many $ref indirections are followed when a
// reference points at another reference.
const maxRefHops = 32

// maxFileSize bounds the size of an external file referenced via $ref.
const maxFileSize = 32 << 20

// location identifies a JSON value: a file (relative to the base
// directory, "" for the main document) and a JSON pointer inside it.
type location struct {
	file string
	ptr  string
}

// String formats the location like a $ref.
func (l location) String() string {
	return l.file + "#" + l.ptr
}

// resolver resolves $refs against the main document and, when a base
// directory is configured, against other files below it. Each external file
// is read and parsed at most once.
type resolver struct {
	main  any
	root  *os.Root // nil: external references are disabled
	files map[string]fileResult
	warn  func(string)
	seen  map[string]bool
}

type fileResult struct {
	val any
	err error
}

func newResolver(main any, baseDir string, warn func(string)) (*resolver, error) {
	r := &resolver{main: main, files: map[string]fileResult{}, warn: warn, seen: map[string]bool{}}
	if baseDir != "" {
		root, err := os.OpenRoot(baseDir)
		if err != nil {
			return nil, fmt.Errorf("docgen: open base directory: %w", err)
		}
		r.root = root
	}
	return r, nil
}

func (r *resolver) close() {
	if r.root != nil {
		r.root.Close()
	}
}

// warnf reports a warning once per distinct message.
func (r *resolver) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if r.seen[msg] {
		return
	}
	r.seen[msg] = true
	if r.warn != nil {
		r.warn(msg)
	}
}

// target computes the location a $ref points to when it appears in file
// from.
func (r *resolver) target(from, ref string) (location, error) {
	filePart, frag, _ := strings.Cut(ref, "#")
	if frag != "" {
		f, err := url.PathUnescape(frag)
		if err != nil {
			return location{}, fmt.Errorf("bad fragment: %w", err)
		}
		frag = f
		if !strings.HasPrefix(frag, "/") {
			return location{}, errors.New("fragment is not a JSON pointer")
		}
	}
	if filePart == "" {
		return location{file: from, ptr: frag}, nil
	}
	if strings.Contains(filePart, ":") {
		return location{}, errors.New("remote references are not supported")
	}
	if strings.HasPrefix(filePart, "/") {
		return location{}, errors.New("absolute paths are not supported")
	}
	p := path.Join(path.Dir(from), filePart)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return location{}, errors.New("path leaves the base directory")
	}
	return location{file: p, ptr: frag}, nil
}

// load returns the parsed root of file ("" is the main document).
func (r *resolver) load(file string) (any, error) {
	if file == "" {
		return r.main, nil
	}
	if res, ok := r.files[file]; ok {
		return res.val, res.err
	}
	var res fileResult
	if r.root == nil {
		res.err = errors.New("external references are disabled (Options.BaseDir is empty)")
	} else {
		res.val, res.err = r.readFile(file)
	}
	r.files[file] = res
	return res.val, res.err
}

func (r *resolver) readFile(file string) (any, error) {
	f, err := r.root.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("%s: file too large", file)
	}
	v, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: invalid JSON: %w", file, err)
	}
	return v, nil
}

// lookup resolves ref as written in file from and returns the value and its
// canonical location.
func (r *resolver) lookup(from, ref string) (any, location, error) {
	loc, err := r.target(from, ref)
	if err != nil {
		return nil, location{}, err
	}
	root, err := r.load(loc.file)
	if err != nil {
		return nil, location{}, err
	}
	v, err := walkPointer(root, loc.ptr)
	if err != nil {
		return nil, location{}, err
	}
	return v, loc, nil
}

// walkPointer evaluates an RFC 6901 JSON pointer against v.
func walkPointer(v any, ptr string) (any, error) {
	if ptr == "" {
		return v, nil
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch t := v.(type) {
		case *object:
			if !t.has(tok) {
				return nil, fmt.Errorf("no member %q", tok)
			}
			v = t.get(tok)
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(t) || (len(tok) > 1 && tok[0] == '0') {
				return nil, fmt.Errorf("bad array index %q", tok)
			}
			v = t[i]
		default:
			return nil, fmt.Errorf("cannot descend into %s with %q", kindOf(v), tok)
		}
	}
	return v, nil
}

// refOf returns the $ref string of v, if v is a reference object.
func refOf(v any) (string, bool) {
	o, ok := v.(*object)
	if !ok {
		return "", false
	}
	s, ok := o.get("$ref").(string)
	return s, ok
}

// deref follows reference objects (non-schema objects such as content
// descriptors, errors, examples, tags and methods) until it reaches a value
// that is not a reference. It returns the value and the file it lives in.
// When a reference cannot be resolved it warns, returns a nil value and a
// human-readable note ("unresolved $ref ...").
func (r *resolver) deref(v any, from string, what string) (any, string, string) {
	visited := map[location]bool{}
	for hops := 0; ; hops++ {
		ref, ok := refOf(v)
		if !ok {
			return v, from, ""
		}
		var reason string
		nv, loc, err := r.lookup(from, ref)
		switch {
		case hops >= maxRefHops:
			reason = "too many indirections"
		case err != nil:
			reason = err.Error()
		case visited[loc]:
			reason = "reference cycle"
		}
		if reason != "" {
			note := "unresolved $ref " + ref
			r.warnf("unresolved $ref %q (%s): %s", ref, what, reason)
			return nil, from, note
		}
		visited[loc] = true
		v, from = nv, loc.file
	}
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case *object:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
