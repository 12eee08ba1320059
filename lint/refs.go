package lint

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
)

// maxFileSize bounds the size of a document or of a file it refers to.
const maxFileSize = 64 << 20

// A file is a parsed JSON file of the document set: the document itself or
// a file one of its references names.
type file struct {
	name string // path relative to the base directory; "" for the document
	val  any
	raw  []byte
	err  error // why the file could not be read or parsed
}

// files holds the document and the other files its references reach, each
// read and parsed at most once.
type files struct {
	root    *os.Root // nil: references to other files are not followed
	display string   // directory prefix for naming other files in findings
	main    *file
	byName  map[string]*file
	order   []string // names of other files in the order first reached
}

func (s *files) close() {
	if s.root != nil {
		s.root.Close()
	}
}

// displayName names file f in findings.
func (s *files) displayName(f *file) string {
	if f == s.main {
		return f.name
	}
	return path.Join(s.display, f.name)
}

// target returns the file and JSON pointer that ref points to when it
// appears in file from.
func (s *files) target(from *file, ref string) (*file, string, error) {
	filePart, frag, _ := strings.Cut(ref, "#")
	if frag != "" {
		f, err := url.PathUnescape(frag)
		if err != nil {
			return nil, "", fmt.Errorf("bad fragment: %v", err)
		}
		frag = f
		if !strings.HasPrefix(frag, "/") {
			return nil, "", errors.New("the fragment is not a JSON pointer")
		}
	}
	if filePart == "" {
		return from, frag, nil
	}
	if strings.Contains(filePart, ":") {
		return nil, "", errRemote
	}
	if strings.HasPrefix(filePart, "/") {
		return nil, "", errors.New("absolute paths are not supported; use a path relative to the document")
	}
	dir := "."
	if from != s.main {
		dir = path.Dir(from.name)
	}
	p := path.Join(dir, filePart)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return nil, "", errors.New("the path leaves the document's directory")
	}
	return s.load(p), frag, nil
}

// errRemote is the error for references to remote documents, which are
// not fetched.
var errRemote = errors.New("remote references are not fetched")

// load returns the file named p, reading it on first use.
func (s *files) load(p string) *file {
	if f, ok := s.byName[p]; ok {
		return f
	}
	f := &file{name: p}
	s.byName[p] = f
	s.order = append(s.order, p)
	if s.root == nil {
		f.err = errors.New("references to other files are disabled")
		return f
	}
	data, err := readRoot(s.root, p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			err = fmt.Errorf("file %s does not exist", path.Join(s.display, p))
		}
		f.err = err
		return f
	}
	f.raw = data
	f.val, f.err = decodeJSON(data)
	if f.err != nil {
		f.err = fmt.Errorf("file %s: %v", path.Join(s.display, p), f.err)
	}
	return f
}

func readRoot(root *os.Root, p string) ([]byte, error) {
	f, err := root.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("file %s is larger than %d bytes", p, maxFileSize)
	}
	return data, nil
}

// resolve returns the value ref points to from file from, following
// chains of plain references up to a bound, and the file and pointer of
// that value.
func (s *files) resolve(from *file, ref string) (any, *file, string, error) {
	f, ptr := from, ""
	for hops := 0; ; hops++ {
		if hops == 32 {
			return nil, nil, "", errors.New("too many chained references (a cycle?)")
		}
		var err error
		f, ptr, err = s.target(f, ref)
		if err != nil {
			return nil, nil, "", err
		}
		if f.err != nil {
			return nil, nil, "", f.err
		}
		v, err := lookupPointer(f.val, ptr)
		if err != nil {
			return nil, nil, "", err
		}
		obj, ok := v.(map[string]any)
		next, isRef := obj["$ref"].(string)
		if !ok || !isRef || len(obj) != 1 {
			return v, f, ptr, nil
		}
		ref = next
	}
}

// lookupPointer returns the value at JSON pointer ptr in v.
func lookupPointer(v any, ptr string) (any, error) {
	if ptr == "" {
		return v, nil
	}
	cur := v
	var at strings.Builder
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := cur.(type) {
		case map[string]any:
			next, ok := x[tok]
			if !ok {
				return nil, fmt.Errorf("%s has no member %q", describe(at.String()), tok)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, fmt.Errorf("%s has no element %q", describe(at.String()), tok)
			}
			cur = x[i]
		default:
			return nil, fmt.Errorf("%s is not an object or array", describe(at.String()))
		}
		at.WriteByte('/')
		at.WriteString(escapeToken(tok))
	}
	return cur, nil
}

func describe(ptr string) string {
	if ptr == "" {
		return "the root"
	}
	return ptr
}

// escapeToken escapes s as an RFC 6901 reference token.
func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}
