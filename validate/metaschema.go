package validate

import (
	_ "embed"
	"fmt"
	"regexp"
	"strconv"
	"sync"
)

// The OpenRPC meta-schemas, byte for byte as published: 1.3.2 covers
// OpenRPC 1.0.0-rc0 to 1.3.2, 1.4 covers 1.4.x.
var (
	//go:embed metaschema/openrpc-1.3.2.json
	metaSchema132 []byte
	//go:embed metaschema/openrpc-1.4.json
	metaSchema14 []byte
)

// metaJSONSchemaTools stands in for https://meta.json-schema.tools, the
// schema of schemas that the OpenRPC meta-schemas refer to and that cannot
// be fetched here. It defers to the draft-07 meta-schema, which the
// validator has built in, and provides the one subschema the meta-schemas
// reach into: the "$ref" property of a schema object.
const metaJSONSchemaTools = `{
  "$ref": "http://json-schema.org/draft-07/schema#",
  "definitions": {
    "JSONSchemaObject": {
      "properties": {
        "$ref": {"type": "string", "format": "uri-reference"}
      }
    }
  }
}`

// lazyMeta compiles a meta-schema on first use.
type lazyMeta struct {
	src  []byte
	once sync.Once
	v    *Validator
	err  error
}

func (m *lazyMeta) get() (*Validator, error) {
	m.once.Do(func() {
		// The meta-schemas declare "$schema": "https://meta.json-schema.tools/",
		// which no validator knows; they are draft-07 schemas.
		m.v, m.err = compile(m.src, config{
			draft7: true,
			resources: map[string]string{
				"https://meta.json-schema.tools":  metaJSONSchemaTools,
				"https://meta.json-schema.tools/": metaJSONSchemaTools,
			},
		})
	})
	return m.v, m.err
}

var (
	meta132 = &lazyMeta{src: metaSchema132}
	meta14  = &lazyMeta{src: metaSchema14}
)

// versionRE matches OpenRPC versions of the form 1.MINOR[.PATCH][-PRERELEASE].
var versionRE = regexp.MustCompile(`^1\.(\d+)(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?$`)

// MetaSchema returns the compiled meta-schema for OpenRPC version, such as
// "1.3.2" or "1.4.0": the 1.3.2 meta-schema for 1.0.0-rc0 to 1.3.x and the
// 1.4 meta-schema for 1.4.x. Other versions are an error. Each meta-schema
// is compiled once, on first use.
func MetaSchema(version string) (*Validator, error) {
	m := versionRE.FindStringSubmatch(version)
	if m != nil {
		switch minor, _ := strconv.Atoi(m[1]); {
		case minor <= 3:
			return meta132.get()
		case minor == 4:
			return meta14.get()
		}
	}
	return nil, fmt.Errorf("validate: no OpenRPC meta-schema for version %q", version)
}

// OpenRPCDocument validates doc, the JSON of a whole OpenRPC document,
// against the OpenRPC 1.3.2 meta-schema. It returns nil, an [*Error] with
// the violations, or a plain error if doc is not JSON. Use [MetaSchema] for
// documents of other versions.
func OpenRPCDocument(doc []byte) error {
	v, err := meta132.get()
	if err != nil {
		return err
	}
	return v.ValidateJSON(doc)
}
