package lint

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/schemarpc/schemarpc/internal/jsonptr"
	"github.com/schemarpc/schemarpc/validate"
)

// schemaKeywords are the JSON Schema keywords that people put on a
// content descriptor when they mean its schema.
var schemaKeywords = []string{
	"$defs", "$id", "$schema", "additionalItems", "additionalProperties", "allOf", "anyOf", "const",
	"contains", "contentEncoding", "contentMediaType", "default", "definitions", "dependencies",
	"dependentRequired", "dependentSchemas", "else", "enum", "examples", "exclusiveMaximum",
	"exclusiveMinimum", "format", "if", "items", "maxItems", "maxLength", "maxProperties", "maximum",
	"minItems", "minLength", "minProperties", "minimum", "multipleOf", "not", "nullable", "oneOf",
	"pattern", "patternProperties", "prefixItems", "properties", "propertyNames", "readOnly", "then",
	"title", "type", "unevaluatedItems", "unevaluatedProperties", "uniqueItems", "writeOnly",
}

// fields lists the members each kind of OpenRPC object may have, to
// suggest a fix for a misspelt one.
var fields = map[string][]string{
	"document":           {"openrpc", "info", "servers", "methods", "components", "externalDocs"},
	"info":               {"title", "description", "termsOfService", "contact", "license", "version"},
	"method":             {"name", "tags", "summary", "description", "externalDocs", "params", "result", "deprecated", "servers", "errors", "links", "paramStructure", "examples"},
	"content descriptor": {"name", "summary", "description", "required", "schema", "deprecated"},
	"example pairing":    {"name", "description", "summary", "params", "result"},
	"example":            {"name", "summary", "description", "value", "externalValue"},
	"error":              {"code", "message", "data"},
	"server":             {"name", "url", "summary", "description", "variables"},
	"tag":                {"name", "summary", "description", "externalDocs"},
	"components":         {"schemas", "links", "errors", "examples", "examplePairings", "contentDescriptors", "tags"},
}

// objectKind names the kind of OpenRPC object at the JSON pointer ptr of
// a document, or "".
func objectKind(ptr string) string {
	toks := strings.Split(ptr, "/")[1:]
	if ptr == "" {
		toks = nil
	}
	n := len(toks)
	at := func(i int, s string) bool { return i >= 0 && i < n && toks[i] == s }
	switch {
	case n == 0:
		return "document"
	case n == 1 && at(0, "info"):
		return "info"
	case n == 1 && at(0, "components"):
		return "components"
	case n == 2 && at(0, "methods"):
		return "method"
	case n == 2 && at(0, "servers"), n == 4 && at(0, "methods") && at(2, "servers"):
		return "server"
	case n == 4 && at(0, "methods") && at(2, "params"), n == 3 && at(0, "methods") && at(2, "result"),
		n == 3 && at(0, "components") && at(1, "contentDescriptors"):
		return "content descriptor"
	case n == 4 && at(0, "methods") && at(2, "examples"), n == 3 && at(0, "components") && at(1, "examplePairings"):
		return "example pairing"
	case n == 6 && at(2, "examples") && at(4, "params"), n == 5 && at(2, "examples") && at(4, "result"),
		n == 3 && at(0, "components") && at(1, "examples"):
		return "example"
	case n == 4 && at(0, "methods") && at(2, "errors"), n == 3 && at(0, "components") && at(1, "errors"):
		return "error"
	case n == 4 && at(0, "methods") && at(2, "tags"), n == 3 && at(0, "components") && at(1, "tags"):
		return "tag"
	}
	return ""
}

// explain rewrites a meta-schema violation in the words of OpenRPC and
// suggests a fix where one is clear.
func explain(root map[string]any, v validate.Violation) (msg, hint string) {
	msg = v.Message
	parent, last := parentPointer(v.Pointer)
	kind := objectKind(parent)
	switch v.Keyword {
	case "additionalProperties":
		if kind == "" {
			return msg, ""
		}
		msg = fmt.Sprintf("%s: %s %s has no member %q", msg, article(kind), kind, last)
		switch {
		case kind == "content descriptor" && last == "$ref":
			hint = "a Reference Object holds \"$ref\" alone: drop the other members to reference a content descriptor, or move \"$ref\" under \"schema\" to reference a schema"
		case kind == "content descriptor" && slices.Contains(schemaKeywords, last):
			hint = fmt.Sprintf("JSON Schema keyword %q placed on the content descriptor: move it under \"schema\"", last)
		default:
			if s := closest(last, fields[kind]); s != "" {
				hint = fmt.Sprintf("did you mean %q?", s)
			} else {
				hint = "extensions must begin with \"x-\""
			}
		}
	case "required":
		switch {
		case kind == "content descriptor" && last == "schema":
			obj, _ := lookupOr(root, parent).(map[string]any)
			var misplaced []string
			for _, k := range slices.Sorted(maps.Keys(obj)) {
				if slices.Contains(schemaKeywords, k) {
					misplaced = append(misplaced, fmt.Sprintf("%q", k))
				}
			}
			if len(misplaced) > 0 {
				hint = fmt.Sprintf("JSON Schema keywords %s placed on the content descriptor: move them under \"schema\"", strings.Join(misplaced, ", "))
			} else {
				hint = "every content descriptor needs a schema; {} accepts any value"
			}
		case kind == "method" && last == "params":
			hint = "a method without params declares \"params\": []"
		}
	}
	return msg, hint
}

// lookupOr returns the value at ptr in v, or nil.
func lookupOr(v any, ptr string) any {
	x, err := jsonptr.Resolve(v, ptr)
	if err != nil {
		return nil
	}
	return x
}

// parentPointer splits ptr into its parent and its last token, unescaped.
func parentPointer(ptr string) (parent, last string) {
	i := strings.LastIndexByte(ptr, '/')
	if i < 0 {
		return "", ""
	}
	return ptr[:i], unescapeToken(ptr[i+1:])
}

// hintParamName suggests the param name closest to name.
func hintParamName(name string, names []string) string {
	if s := closest(name, names); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	if len(names) == 0 {
		return "the method takes no params"
	}
	return "the method's params are " + strings.Join(quoteAll(names), ", ")
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// closest returns the candidate nearest to s in edit distance, if it is
// near enough to be a likely misspelling, or "".
func closest(s string, candidates []string) string {
	best, bestD := "", 0
	limit := max(1, min(3, len(s)/3))
	for _, c := range candidates {
		d := distance(strings.ToLower(s), strings.ToLower(c))
		if d <= limit && (best == "" || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// article returns the indefinite article for noun: "a" or "an".
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}
