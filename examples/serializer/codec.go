package main

import (
	"encoding"
	"encoding/json"
	"reflect"
	"sync"
	"time"
)

// unixTimeCodec is a schemarpc.Codec that writes every time.Time as its
// Unix seconds and reads it back from them (as a UTC time); everything else
// is encoded and decoded by encoding/json. It finds times in structs,
// pointers, slices, arrays and map values, and in the dynamic value of a
// top-level interface; it leaves alone the fields of embedded structs,
// values held in nested interfaces, recursive types and types with their
// own JSON or text form. It is safe for concurrent use.
type unixTimeCodec struct{}

func (unixTimeCodec) Marshal(v any) ([]byte, error) {
	if v == nil {
		return json.Marshal(nil)
	}
	return json.Marshal(toWire(reflect.ValueOf(v)).Interface())
}

func (unixTimeCodec) Unmarshal(data []byte, v any) error {
	p := reflect.ValueOf(v)
	if p.Kind() != reflect.Pointer || p.IsNil() {
		return json.Unmarshal(data, v) // which reports the error
	}
	t := p.Elem().Type()
	wt := wireType(t)
	if wt == t {
		return json.Unmarshal(data, v)
	}
	w := reflect.New(wt)
	if err := json.Unmarshal(data, w.Interface()); err != nil {
		return err
	}
	p.Elem().Set(fromWire(w.Elem(), t))
	return nil
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	unixType      = reflect.TypeFor[int64]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
	wireTypes     sync.Map // reflect.Type → its wire type
)

// wireType returns the type t is encoded as: t itself when it holds no
// time.Time, else a type of the same shape with int64 for each time.Time.
func wireType(t reflect.Type) reflect.Type {
	if wt, ok := wireTypes.Load(t); ok {
		return wt.(reflect.Type)
	}
	wt := makeWireType(t, map[reflect.Type]bool{})
	wireTypes.Store(t, wt)
	return wt
}

func makeWireType(t reflect.Type, seen map[reflect.Type]bool) reflect.Type {
	switch {
	case t == timeType:
		return unixType
	case seen[t], t.Kind() != reflect.Pointer && hasOwnForm(t):
		return t
	}
	seen[t] = true
	defer delete(seen, t)
	switch t.Kind() {
	case reflect.Pointer:
		if e := makeWireType(t.Elem(), seen); e != t.Elem() {
			return reflect.PointerTo(e)
		}
	case reflect.Slice:
		if e := makeWireType(t.Elem(), seen); e != t.Elem() {
			return reflect.SliceOf(e)
		}
	case reflect.Array:
		if e := makeWireType(t.Elem(), seen); e != t.Elem() {
			return reflect.ArrayOf(t.Len(), e)
		}
	case reflect.Map:
		if e := makeWireType(t.Elem(), seen); e != t.Elem() {
			return reflect.MapOf(t.Key(), e)
		}
	case reflect.Struct:
		fields := make([]reflect.StructField, 0, t.NumField())
		changed := false
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue // encoding/json ignores it too
			}
			if !f.Anonymous {
				ft := makeWireType(f.Type, seen)
				changed = changed || ft != f.Type
				f.Type = ft
			}
			fields = append(fields, f)
		}
		if changed {
			return reflect.StructOf(fields)
		}
	}
	return t
}

// hasOwnForm reports whether t (or *t) chooses its own JSON form.
func hasOwnForm(t reflect.Type) bool {
	for _, t := range []reflect.Type{t, reflect.PointerTo(t)} {
		if t.Implements(marshalerType) || t.Implements(textType) {
			return true
		}
	}
	return false
}

// toWire returns v as a value of its wire type.
func toWire(v reflect.Value) reflect.Value {
	t := v.Type()
	if t == timeType {
		return reflect.ValueOf(v.Interface().(time.Time).Unix())
	}
	wt := wireType(t)
	if wt == t {
		return v
	}
	out := reflect.New(wt).Elem()
	switch t.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			out.Set(reflect.New(wt.Elem()))
			out.Elem().Set(toWire(v.Elem()))
		}
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice {
			if v.IsNil() {
				break
			}
			out = reflect.MakeSlice(wt, v.Len(), v.Len())
		}
		for i := range v.Len() {
			out.Index(i).Set(toWire(v.Index(i)))
		}
	case reflect.Map:
		if v.IsNil() {
			break
		}
		out = reflect.MakeMapWithSize(wt, v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), toWire(it.Value()))
		}
	case reflect.Struct:
		j := 0
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fv := v.Field(i)
			if !f.Anonymous {
				fv = toWire(fv)
			}
			out.Field(j).Set(fv)
			j++
		}
	}
	return out
}

// fromWire returns w, a value of the wire type of t, as a t.
func fromWire(w reflect.Value, t reflect.Type) reflect.Value {
	if t == timeType {
		return reflect.ValueOf(time.Unix(w.Int(), 0).UTC())
	}
	if w.Type() == t {
		return w
	}
	out := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Pointer:
		if !w.IsNil() {
			out.Set(reflect.New(t.Elem()))
			out.Elem().Set(fromWire(w.Elem(), t.Elem()))
		}
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice {
			if w.IsNil() {
				break
			}
			out = reflect.MakeSlice(t, w.Len(), w.Len())
		}
		for i := range w.Len() {
			out.Index(i).Set(fromWire(w.Index(i), t.Elem()))
		}
	case reflect.Map:
		if w.IsNil() {
			break
		}
		out = reflect.MakeMapWithSize(t, w.Len())
		for it := w.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), fromWire(it.Value(), t.Elem()))
		}
	case reflect.Struct:
		j := 0
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			fw := w.Field(j)
			if !f.Anonymous {
				fw = fromWire(fw, f.Type)
			}
			out.Field(i).Set(fw)
			j++
		}
	}
	return out
}
