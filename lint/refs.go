package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
)

// displayName names file f of the document set in findings ("" is the
// document itself).
func (c *checker) displayName(f string) string {
	if f == "" {
		return c.name
	}
	return path.Join(c.display, f)
}

// resolve returns the value ref points to from file from (following
// chains of Reference Objects) and its location.
func (c *checker) resolve(from, ref string) (any, jsonptr.Location, error) {
	return c.refs.Follow(from, ref, jsonptr.RefOf)
}

// checkRefs checks that every $ref of the document, and of the files it
// reaches, resolves.
func (c *checker) checkRefs() {
	c.walkRefs("", c.root, "", false)
	for i := 0; i < len(c.refs.Files()); i++ { // files are appended as they are reached
		if f := c.refs.Files()[i]; f.Err == nil {
			c.walkRefs(f.Name, f.Value, "", false)
		}
	}
	c.reportFormats()
}

// walkRefs checks the references in v, the value at ptr of file f, and
// the formats its schemas name. Example values, error data and constant
// values of schemas are data, not references, and are skipped.
func (c *checker) walkRefs(f string, v any, ptr string, inSchema bool) {
	switch x := v.(type) {
	case []any:
		for i, e := range x {
			c.walkRefs(f, e, fmt.Sprintf("%s/%d", ptr, i), inSchema)
		}
	case map[string]any:
		if ref, ok := x["$ref"].(string); ok {
			c.checkRef(f, ref, ptr+"/$ref")
		}
		if format, ok := x["format"].(string); ok && inSchema && f == "" {
			c.checkFormat(format, ptr+"/format")
		}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if k == "$ref" || strings.HasPrefix(k, "x-") {
				continue
			}
			if inSchema {
				if k == "default" || k == "const" || k == "enum" || k == "examples" {
					continue
				}
			} else if k == "value" || k == "data" {
				continue
			}
			schema := inSchema || k == "schema" || k == "schemas" || k == "definitions" || k == "$defs"
			c.walkRefs(f, x[k], jsonptr.Append(ptr, k), schema)
		}
	}
}

// checkRef records a finding when ref, at ptr of file f, does not resolve
// or starts a cycle of Reference Objects. A reference that resolves to a
// Reference Object whose own reference fails is reported there, not here.
func (c *checker) checkRef(f, ref, ptr string) {
	v, loc, err := c.refs.Lookup(f, ref)
	if err == nil {
		if next, ok := jsonptr.RefOf(v); ok {
			if _, _, ferr := c.refs.Follow(loc.File, next, jsonptr.RefOf); errors.Is(ferr, jsonptr.ErrCycle) {
				err = ferr
			}
		}
	}
	if err == nil || errors.Is(err, jsonptr.ErrRemote) || errors.Is(err, jsonptr.ErrAnchor) {
		return // remote documents are not fetched; anchors are left to the schema compiler
	}
	fd := Finding{File: c.displayName(f), Index: -1, Pointer: ptr, Keyword: "$ref",
		Message: fmt.Sprintf("%q does not resolve: %v", ref, err)}
	if f == "" {
		fd.Method = c.methodAt(ptr)
		if name, ok := strings.CutPrefix(ref, "#/components/schemas/"); ok {
			if comps, ok := c.root["components"].(map[string]any); ok {
				if schemas, ok := comps["schemas"].(map[string]any); ok {
					if s := closest(name, slices.Sorted(maps.Keys(schemas))); s != "" && s != name {
						fd.Hint = fmt.Sprintf("did you mean \"#/components/schemas/%s\"?", s)
					}
				}
			}
		}
	}
	if errors.Is(err, fs.ErrNotExist) && fd.Hint == "" {
		fd.Hint = c.cwdHint(ref)
	}
	c.findings = append(c.findings, fd)
}

// cwdHint explains a reference to a file that is missing next to the
// document but exists relative to the working directory, as tools that
// resolve against the working directory would find it.
func (c *checker) cwdHint(ref string) string {
	filePart, _, _ := strings.Cut(ref, "#")
	if filePart == "" || filepath.IsAbs(filePart) {
		return ""
	}
	if st, err := os.Stat(filepath.FromSlash(filePart)); err != nil || st.IsDir() {
		return ""
	}
	return fmt.Sprintf("references resolve against the document's own location (RFC 3986), not the working directory, where %s exists: write the path relative to the document", filePart)
}
