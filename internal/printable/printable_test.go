package printable

import (
	"strings"
	"testing"
	"unicode"
)

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain text", "plain text"},
		{"\x1b[31mred\x1b[0m", "red"},
		{"\x1b[2J\x1b[1;1Hcleared", "cleared"},
		{"\x1b]0;pwned title\x07after", "after"},
		{"\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"bell\x07 and backspace\x08\x7f", "bell and backspace"},
		{"line\nbreak\ttab\rcr", "line break tab cr"},
		{"c1 \u009b31mcsi\u0085nel", "c1 csinel"},
		{"bad \xff utf-8", "bad \uFFFD utf-8"},
		{"ésumé ✓", "ésumé ✓"},
		{"trailing escape \x1b", "trailing escape "},
		{"\x1bcreset", "reset"},
	} {
		if got := String(c.in); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestString_noControlLeft(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 0x200; r++ {
		all.WriteRune(r)
		all.WriteString("\x1b[")
		all.WriteRune(r)
	}
	for _, r := range String(all.String() + "\xff\xfe") {
		if unicode.IsControl(r) {
			t.Fatalf("control character %U left", r)
		}
	}
}

func TestExcerpt(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"  <html>\n  <body>  hi </body>\n</html>\n", 80, "<html> <body> hi </body> </html>"},
		{"abcdefghij", 5, "abcde…"},
		{"abc  def", 4, "abc …"},
		{"\x1b[31m<h1>Bad Gateway</h1>\x1b[0m", 80, "<h1>Bad Gateway</h1>"},
		{"", 10, ""},
	} {
		if got := Excerpt([]byte(c.in), c.max); got != c.want {
			t.Errorf("Excerpt(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
