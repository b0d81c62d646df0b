package cql2

// match reports whether s matches a LIKE pattern, in which % matches any run
// of characters, _ matches one character and a backslash makes the next
// character literal (21-065r2, /req/advanced-comparison-operators/
// like-predicate). Characters are Unicode code points.
func match(pattern, s string) bool {
	type elem struct {
		r        rune
		any, one bool
	}
	var pat []elem
	pr := []rune(pattern)
	for i := 0; i < len(pr); i++ {
		switch {
		case pr[i] == '\\' && i+1 < len(pr):
			i++
			pat = append(pat, elem{r: pr[i]})
		case pr[i] == '%':
			pat = append(pat, elem{any: true})
		case pr[i] == '_':
			pat = append(pat, elem{one: true})
		default:
			pat = append(pat, elem{r: pr[i]})
		}
	}
	// Greedy matching that backtracks to the last %: linear in practice,
	// O(len(s)·len(pattern)) at worst.
	str := []rune(s)
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(str) {
		switch {
		case p < len(pat) && !pat[p].any && (pat[p].one || pat[p].r == str[i]):
			p++
			i++
		case p < len(pat) && pat[p].any:
			star, mark = p, i
			p++
		case star >= 0:
			mark++
			p, i = star+1, mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p].any {
		p++
	}
	return p == len(pat)
}
