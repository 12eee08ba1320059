package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/fastdecode"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
)

// ErrMethodExists is returned by [Server.Add] for a name already registered.
var ErrMethodExists = errors.New("server: method already registered")

// Add registers methods. It fails, registering none of them, when a method
// could not be built (for example its params type is not a struct), its name
// is empty or starts with the reserved prefix "rpc.", or the name is already
// registered (use [Server.Replace] to replace one).
func (s *Server) Add(methods ...*Method) error { return s.add(false, methods) }

// Replace registers methods, replacing those with the same names
// (aiohttp-rpc's add_method(replace=True)).
func (s *Server) Replace(methods ...*Method) error { return s.add(true, methods) }

// MustAdd is like Add but panics on error, for use at program start.
func (s *Server) MustAdd(methods ...*Method) {
	if err := s.Add(methods...); err != nil {
		panic(err)
	}
}

// testHookAdded, set by tests only, is called after each successful Add
// or Replace, with no lock held.
var testHookAdded func(*Server)

func (s *Server) add(replace bool, methods []*Method) error {
	if err := s.register(replace, methods); err != nil {
		return err
	}
	if testHookAdded != nil {
		testHookAdded(s)
	}
	return nil
}

func (s *Server) register(replace bool, methods []*Method) error {
	s.regMu.Lock()
	defer s.regMu.Unlock()
	next := maps.Clone(*s.methods.Load())
	seen := make(map[string]bool, len(methods))
	for _, m := range methods {
		if m == nil {
			return errors.New("server: nil method")
		}
		if m.err != nil {
			return m.err
		}
		if m.sub != nil {
			if err := s.registerSubscription(next, m, replace); err != nil {
				return err
			}
			continue
		}
		if m.name == "" {
			return errors.New("server: method with an empty name")
		}
		if strings.HasPrefix(m.name, "rpc.") {
			return fmt.Errorf("server: method name %q: the prefix \"rpc.\" is reserved", m.name)
		}
		if seen[m.name] || (!replace && next[m.name] != nil) {
			return fmt.Errorf("%w: %q", ErrMethodExists, m.name)
		}
		seen[m.name] = true
		r, err := s.compile(m)
		if err != nil {
			return err
		}
		next[m.name] = r
	}
	s.methods.Store(&next)
	s.docs.Store(nil) // under regMu: no document built before this is cached after
	return nil
}

// Remove unregisters the named methods; unknown names are ignored.
func (s *Server) Remove(names ...string) {
	s.regMu.Lock()
	defer s.regMu.Unlock()
	next := maps.Clone(*s.methods.Load())
	for _, n := range names {
		delete(next, n)
	}
	s.methods.Store(&next)
	s.docs.Store(nil)
}

// Methods returns the names of the registered methods, sorted.
func (s *Server) Methods() []string {
	return slices.Sorted(maps.Keys(*s.methods.Load()))
}

// registered is what registration computed for a method on one server: a
// [Method] stays an immutable description that any number of servers may
// register at once, each with its own reflector (and so its own schemas).
type registered struct {
	*Method
	names     []string // declared param names, in positional order
	shape     validate.Params
	validator *validate.Validator // nil when the params have no schema
	// checked validates the params as it decodes them; nil when the
	// method, the validator or the codec does not allow it.
	checked checkedInvoke
	doc     *schema.Method
	// subs is set on a namespace's "_subscribe" method, unsubscribe on its
	// "_unsubscribe" (subscription.go).
	subs        *subNamespace
	unsubscribe bool
}

// normalize turns the params of a call into what the method validates and
// decodes (see validate.Params.Normalize).
func (r *registered) normalize(params json.RawMessage) (json.RawMessage, *schemarpc.Error) {
	out, verr := r.shape.Normalize(params)
	if verr != nil {
		return nil, schemarpc.ErrInvalidParams.WithData(verr.Violations)
	}
	return out, nil
}

// compile reflects the method's schemas, compiles its validator and builds
// its OpenRPC method object. It runs with regMu held and leaves m as it is.
func (s *Server) compile(m *Method) (*registered, error) {
	if m.spec != nil {
		return s.compileExplicit(m)
	}
	r := &registered{Method: m}
	doc := &schema.Method{
		Name:        m.name,
		Summary:     m.summary,
		Description: m.description,
		Deprecated:  m.deprecated,
	}
	for _, t := range m.tags {
		doc.Tags = append(doc.Tags, schema.Tag{Name: t})
	}
	var (
		paramsSchema any
		byName       bool // the params struct's order is not a valid positional order
	)
	switch m.kind {
	case kindStruct:
		cds, err := s.reflector.Params(m.paramsType)
		if err != nil {
			return nil, fmt.Errorf("server: method %q: %w", m.name, err)
		}
		cds, byName = requiredFirst(cds)
		if byName {
			doc.ParamStructure = schema.ParamStructureByName
		}
		doc.Params = cds
		r.names = make([]string, len(cds))
		for i, cd := range cds {
			r.names[i] = cd.Name
		}
		paramsSchema = validate.ParamsSchema(validate.Named, descriptorParams(cds))
	case kindVariadic:
		item, err := s.reflector.Schema(m.paramsType)
		if err != nil {
			return nil, fmt.Errorf("server: method %q: %w", m.name, err)
		}
		doc.ParamStructure = "by-position"
		doc.Params = []*schema.ContentDescriptor{{Name: m.variadicArg, Schema: item,
			Description: "Variadic: any number of positional values of this schema."}}
		doc.Extensions = map[string]any{"x-variadic": m.variadicArg}
		paramsSchema = validate.ParamsSchema(validate.VariadicParams, descriptorParams(doc.Params))
	case kindNone:
		doc.Params = []*schema.ContentDescriptor{}
	case kindRaw:
		doc.Params = []*schema.ContentDescriptor{}
		doc.Extensions = map[string]any{"x-raw-params": true}
	}
	r.shape = validate.Params{Method: m.name, Shape: shapes[m.kind], Names: r.names, ByName: byName}
	if m.resultType != nil {
		rs, err := s.reflector.Schema(m.resultType)
		if err != nil {
			return nil, fmt.Errorf("server: method %q: result: %w", m.name, err)
		}
		doc.Result = &schema.ContentDescriptor{Name: m.resultName, Schema: rs}
	} else {
		doc.Result = &schema.ContentDescriptor{Name: m.resultName, Schema: nullSchema()}
	}
	for _, e := range m.errors {
		doc.Errors = append(doc.Errors, &schema.ErrorObject{Code: int(e.Code), Message: e.Message, Data: e.Data})
	}
	for _, ex := range m.examples {
		pairing, err := m.examplePairing(ex, r.names)
		if err != nil {
			return nil, err
		}
		doc.Examples = append(doc.Examples, pairing)
	}
	if paramsSchema != nil {
		raw, err := json.Marshal(paramsSchema)
		if err != nil {
			return nil, fmt.Errorf("server: method %q: %w", m.name, err)
		}
		var comps []byte
		if c := s.reflector.Components(); c != nil {
			if comps, err = json.Marshal(c.Schemas); err != nil {
				return nil, fmt.Errorf("server: method %q: %w", m.name, err)
			}
		}
		v, err := validate.Compile(raw, validate.WithComponents(comps))
		if err != nil {
			return nil, fmt.Errorf("server: method %q: compiling params schema: %w", m.name, err)
		}
		r.validator = v
		r.checked = s.checkedFor(m, v)
	}
	r.doc = doc
	return r, nil
}

// checkedFor returns m's invoke that validates its params against v
// while decoding them, or nil when m, v or the server's codec does not
// allow it.
func (s *Server) checkedFor(m *Method, v *validate.Validator) checkedInvoke {
	if _, std := s.cfg.codec.(schemarpc.JSONCodec); !std || m.bindChecked == nil {
		return nil
	}
	if fs := fastdecode.SchemaOf(v); fs != nil {
		return m.bindChecked(fs)
	}
	return nil
}

func (m *Method) examplePairing(ex example, names []string) (*schema.ExamplePairing, error) {
	p := &schema.ExamplePairing{Name: ex.name, Params: []*schema.Example{}}
	if ex.params != nil {
		raw, err := json.Marshal(ex.params)
		if err != nil {
			return nil, fmt.Errorf("server: method %q: example %q: %w", m.name, ex.name, err)
		}
		switch m.kind {
		case kindVariadic:
			var vals []any
			if err := json.Unmarshal(raw, &vals); err != nil {
				return nil, fmt.Errorf("server: method %q: example %q: params must be a slice", m.name, ex.name)
			}
			for _, v := range vals {
				p.Params = append(p.Params, &schema.Example{Name: m.variadicArg, Value: v})
			}
		default:
			var obj map[string]any
			if err := json.Unmarshal(raw, &obj); err != nil {
				return nil, fmt.Errorf("server: method %q: example %q: params must encode as an object", m.name, ex.name)
			}
			if m.kind == kindRaw {
				names = slices.Sorted(maps.Keys(obj))
			}
			for _, n := range names {
				if v, ok := obj[n]; ok {
					p.Params = append(p.Params, &schema.Example{Name: n, Value: v})
				}
			}
		}
	}
	var result any
	if ex.result != nil {
		raw, err := json.Marshal(ex.result)
		if err != nil {
			return nil, fmt.Errorf("server: method %q: example %q: %w", m.name, ex.name, err)
		}
		_ = json.Unmarshal(raw, &result)
	}
	p.Result = &schema.Example{Name: m.resultName, Value: result}
	return p, nil
}

// shapes maps each kind of method to the shape of its params.
var shapes = map[paramKind]validate.ParamsShape{
	kindStruct:   validate.Named,
	kindNone:     validate.NoParams,
	kindVariadic: validate.VariadicParams,
	kindRaw:      validate.AnyParams,
}

func (s *Server) lookup(name string) *registered { return (*s.methods.Load())[name] }

func nullSchema() *jsonschema.Schema { return &jsonschema.Schema{Type: "null"} }
