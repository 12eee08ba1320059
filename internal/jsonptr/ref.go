package jsonptr

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strings"
)

// MaxFileSize bounds the size of a file a reference names.
const MaxFileSize = 64 << 20

// MaxHops bounds how many references [Resolver.Follow] follows in a chain.
const MaxHops = 32

// Errors of reference resolution that callers tell apart.
var (
	// ErrRemote is the error for a reference to a remote document
	// ("https://…"), which is never fetched.
	ErrRemote = errors.New("remote references are not fetched")
	// ErrAnchor is the error for a reference whose fragment is not a
	// JSON pointer ("#name", a JSON Schema anchor).
	ErrAnchor = errors.New("the fragment is not a JSON pointer (an anchor?)")
	// ErrCycle is the error for a chain of references that comes back on
	// itself or is longer than MaxHops.
	ErrCycle = errors.New("the references form a cycle")
)

// A Location is where a value lies: a file, named by its slash-separated
// path relative to the base directory ("" for the main document), and
// a JSON pointer inside it.
type Location struct {
	File    string
	Pointer string
}

// String formats the location as a reference: "file#/pointer".
func (l Location) String() string { return l.File + "#" + l.Pointer }

// A File is a file of the document set that a reference reached.
type File struct {
	Name  string // path relative to the base directory
	Value any    // the decoded JSON
	Raw   []byte // the bytes read
	Err   error  // why it could not be read or decoded
}

// A Resolver resolves the references of one document: to the document
// itself, and, when it has a base directory, to other files below that
// directory, each read and decoded at most once. It is not safe for
// concurrent use.
type Resolver struct {
	main    any
	root    *os.Root // nil: references to other files are not followed
	display string
	decode  func([]byte) (any, error)
	files   map[string]*File
	order   []*File
}

// NewResolver returns a resolver for the decoded document main. Other
// files are read from baseDir (none when it is empty) with decode, and
// named in errors with prefix display (such as the document's directory
// as the user wrote it). The caller closes the resolver.
func NewResolver(main any, baseDir, display string, decode func([]byte) (any, error)) (*Resolver, error) {
	r := &Resolver{main: main, display: display, decode: decode, files: map[string]*File{}}
	if baseDir != "" {
		root, err := os.OpenRoot(baseDir)
		if err != nil {
			return nil, fmt.Errorf("open base directory: %w", err)
		}
		r.root = root
	}
	return r, nil
}

// Close releases the base directory.
func (r *Resolver) Close() error {
	if r.root != nil {
		return r.root.Close()
	}
	return nil
}

// Files returns the other files reached so far, in the order first reached.
func (r *Resolver) Files() []*File { return r.order }

// Target returns the location ref points to when written in file from.
func (r *Resolver) Target(from, ref string) (Location, error) {
	filePart, frag, _ := strings.Cut(ref, "#")
	if frag != "" {
		f, err := url.PathUnescape(frag)
		if err != nil {
			return Location{}, fmt.Errorf("bad fragment: %v", err)
		}
		if !strings.HasPrefix(f, "/") {
			return Location{}, ErrAnchor
		}
		frag = f
	}
	if filePart == "" {
		return Location{File: from, Pointer: frag}, nil
	}
	if u, err := url.Parse(filePart); err != nil || u.Scheme != "" || u.Host != "" {
		return Location{}, ErrRemote
	}
	if strings.HasPrefix(filePart, "/") {
		return Location{}, errors.New("absolute paths are not supported; use a path relative to the document")
	}
	p := path.Join(path.Dir(from), filePart)
	if p == "." || p == ".." || strings.HasPrefix(p, "../") {
		return Location{}, errors.New("the path leaves the document's directory")
	}
	return Location{File: p, Pointer: frag}, nil
}

// Load returns the decoded root of file name ("" for the main document).
func (r *Resolver) Load(name string) (any, error) {
	if name == "" {
		return r.main, nil
	}
	f := r.file(name)
	return f.Value, f.Err
}

func (r *Resolver) file(name string) *File {
	if f, ok := r.files[name]; ok {
		return f
	}
	f := &File{Name: name}
	r.files[name] = f
	r.order = append(r.order, f)
	shown := path.Join(r.display, name)
	if r.root == nil {
		f.Err = errors.New("references to other files are disabled")
		return f
	}
	data, err := readFile(r.root, name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.Err = &notExistError{shown}
	case err != nil:
		f.Err = fmt.Errorf("file %s: %v", shown, err)
	default:
		f.Raw = data
		f.Value, err = r.decode(data)
		if err != nil {
			f.Value, f.Err = nil, fmt.Errorf("file %s: %v", shown, err)
		}
	}
	return f
}

// A notExistError reports a file that does not exist; it matches
// fs.ErrNotExist.
type notExistError struct{ name string }

func (e *notExistError) Error() string { return "file " + e.name + " does not exist" }
func (e *notExistError) Unwrap() error { return fs.ErrNotExist }

func readFile(root *os.Root, name string) ([]byte, error) {
	f, err := root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxFileSize)
	}
	return data, nil
}

// Lookup returns the value ref points to when written in file from, and
// its location.
func (r *Resolver) Lookup(from, ref string) (any, Location, error) {
	loc, err := r.Target(from, ref)
	if err != nil {
		return nil, Location{}, err
	}
	root, err := r.Load(loc.File)
	if err != nil {
		return nil, Location{}, err
	}
	v, err := Resolve(root, loc.Pointer)
	if err != nil {
		return nil, Location{}, err
	}
	return v, loc, nil
}

// Follow looks ref up like [Resolver.Lookup] and, while the value found
// is itself a reference (as isRef tells, returning its "$ref"), follows
// it, up to [MaxHops] references; a chain that comes back to a location
// it has passed is an error.
func (r *Resolver) Follow(from, ref string, isRef func(any) (string, bool)) (any, Location, error) {
	seen := map[Location]bool{}
	for hops := 0; ; hops++ {
		if hops == MaxHops {
			return nil, Location{}, fmt.Errorf("%w: more than %d chained references", ErrCycle, MaxHops)
		}
		v, loc, err := r.Lookup(from, ref)
		if err != nil {
			return nil, Location{}, err
		}
		if seen[loc] {
			return nil, Location{}, fmt.Errorf("%w through %s", ErrCycle, loc)
		}
		seen[loc] = true
		next, ok := isRef(v)
		if !ok {
			return v, loc, nil
		}
		from, ref = loc.File, next
	}
}

// RefOf returns the reference of a Reference Object: an object whose only
// member is a string "$ref".
func RefOf(v any) (string, bool) {
	obj, ok := v.(map[string]any)
	if !ok || len(obj) != 1 {
		return "", false
	}
	ref, ok := obj["$ref"].(string)
	return ref, ok
}
