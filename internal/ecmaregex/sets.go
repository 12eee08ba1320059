package ecmaregex

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// runeRange is an inclusive range of code points.
type runeRange struct{ lo, hi rune }

// runeSet is a set of code points as ranges. Normalised sets are sorted,
// disjoint, not adjacent, and hold no surrogates (which never occur in the
// valid UTF-8 strings matched).
type runeSet []runeRange

// add adds a character, or the set when it is not nil.
func (s runeSet) add(r rune, set runeSet) runeSet {
	if set != nil {
		return append(s, set...)
	}
	return append(s, runeRange{r, r})
}

func (s runeSet) normalize() runeSet {
	var out runeSet
	for _, r := range s {
		// Cut out the surrogates.
		if r.lo < 0xd800 && r.hi > 0xdfff {
			out = append(out, runeRange{r.lo, 0xd7ff}, runeRange{0xe000, r.hi})
			continue
		}
		if r.lo >= 0xd800 && r.lo <= 0xdfff {
			r.lo = 0xe000
		}
		if r.hi >= 0xd800 && r.hi <= 0xdfff {
			r.hi = 0xd7ff
		}
		if r.lo <= r.hi {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b runeRange) int { return int(a.lo - b.lo) })
	merged := out[:0]
	for _, r := range out {
		if n := len(merged); n > 0 && r.lo <= merged[n-1].hi+1 {
			merged[n-1].hi = max(merged[n-1].hi, r.hi)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// complement returns the code points (surrogates excepted) not in s.
func (s runeSet) complement() runeSet {
	s = s.normalize()
	var out runeSet
	next := rune(0)
	for _, r := range s {
		if r.lo > next {
			out = append(out, runeRange{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, runeRange{next, unicode.MaxRune})
	}
	return out.normalize()
}

// The ECMA-262 sets (CharacterClassEscape, and . without the s flag).
var (
	digitSet = runeSet{{'0', '9'}}
	wordSet  = runeSet{{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}}
	// WhiteSpace and LineTerminator: \t \n \v \f \r, space, U+00A0,
	// U+FEFF and the Space_Separator (Zs) characters, U+2028, U+2029.
	spaceSet = runeSet{{'\t', '\r'}, {' ', ' '}, {0xa0, 0xa0}, {0x1680, 0x1680}, {0x2000, 0x200a},
		{0x2028, 0x2029}, {0x202f, 0x202f}, {0x205f, 0x205f}, {0x3000, 0x3000}, {0xfeff, 0xfeff}}
	// . matches everything but a LineTerminator.
	dotSet = runeSet{{'\n', '\n'}, {'\r', '\r'}, {0x2028, 0x2029}}.complement()
)

// fromTable converts a unicode.RangeTable.
func fromTable(t *unicode.RangeTable) runeSet {
	var s runeSet
	for _, r := range t.R16 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			if r.Stride == 1 {
				s = append(s, runeRange{rune(r.Lo), rune(r.Hi)})
				break
			}
			s = append(s, runeRange{c, c})
		}
	}
	for _, r := range t.R32 {
		for c := rune(r.Lo); c <= rune(r.Hi); c += rune(r.Stride) {
			if r.Stride == 1 {
				s = append(s, runeRange{rune(r.Lo), rune(r.Hi)})
				break
			}
			s = append(s, runeRange{c, c})
		}
	}
	return s.normalize()
}

// gcAliases maps the long General_Category values of ECMA-262's table to
// the short ones of Go's unicode.Categories.
var gcAliases = map[string]string{
	"Other": "C", "Control": "Cc", "cntrl": "Cc", "Format": "Cf", "Unassigned": "Cn",
	"Private_Use": "Co", "Surrogate": "Cs", "Letter": "L", "Cased_Letter": "LC",
	"Lowercase_Letter": "Ll", "Modifier_Letter": "Lm", "Other_Letter": "Lo",
	"Titlecase_Letter": "Lt", "Uppercase_Letter": "Lu", "Mark": "M", "Combining_Mark": "M",
	"Spacing_Mark": "Mc", "Enclosing_Mark": "Me", "Nonspacing_Mark": "Mn", "Number": "N",
	"Decimal_Number": "Nd", "digit": "Nd", "Letter_Number": "Nl", "Other_Number": "No",
	"Punctuation": "P", "punct": "P", "Connector_Punctuation": "Pc", "Dash_Punctuation": "Pd",
	"Close_Punctuation": "Pe", "Final_Punctuation": "Pf", "Initial_Punctuation": "Pi",
	"Other_Punctuation": "Po", "Open_Punctuation": "Ps", "Symbol": "S", "Currency_Symbol": "Sc",
	"Modifier_Symbol": "Sk", "Math_Symbol": "Sm", "Other_Symbol": "So", "Separator": "Z",
	"Line_Separator": "Zl", "Paragraph_Separator": "Zp", "Space_Separator": "Zs",
}

// generalCategory resolves a General_Category value, short or long.
func generalCategory(v string) (runeSet, bool) {
	if long, ok := gcAliases[v]; ok {
		v = long
	}
	switch v {
	case "LC":
		return append(append(fromTable(unicode.Lu), fromTable(unicode.Ll)...), fromTable(unicode.Lt)...).normalize(), true
	case "Cn":
		return unassigned(), true
	case "C": // Go's C leaves out the unassigned code points; ECMA-262's does not.
		return append(fromTable(unicode.C), unassigned()...).normalize(), true
	}
	if t, ok := unicode.Categories[v]; ok {
		return fromTable(t), true
	}
	return nil, false
}

func unassigned() runeSet {
	var all runeSet
	for name, t := range unicode.Categories {
		if len(name) == 2 {
			all = append(all, fromTable(t)...)
		}
	}
	return all.complement()
}

// propertySet resolves the name inside \p{…}: a General_Category value, a
// binary property that Go's unicode package knows, Any, ASCII, or
// Script=/sc=/General_Category=/gc= and a value. Script values are Go's
// (long) script names.
func propertySet(name string) (runeSet, error) {
	if key, value, ok := strings.Cut(name, "="); ok {
		switch key {
		case "General_Category", "gc":
			if s, ok := generalCategory(value); ok {
				return s, nil
			}
		case "Script", "sc":
			if t, ok := unicode.Scripts[value]; ok {
				return fromTable(t), nil
			}
		case "Script_Extensions", "scx":
			return nil, fmt.Errorf(`property %s is %w: Go has no Script_Extensions table`, name, errUnsupported)
		}
		return nil, fmt.Errorf("unknown Unicode property %s", name)
	}
	switch name {
	case "Any":
		return runeSet{{0, unicode.MaxRune}}.normalize(), nil
	case "ASCII":
		return runeSet{{0, 0x7f}}, nil
	}
	if s, ok := generalCategory(name); ok {
		return s, nil
	}
	if t, ok := unicode.Properties[name]; ok && !strings.HasPrefix(name, "Other_") {
		return fromTable(t), nil
	}
	return nil, fmt.Errorf("unknown or %w Unicode property %s", errUnsupported, name)
}
