package api

import "github.com/uber/h3-go/v4"

// cellStrings writes H3 indexes in their usual hexadecimal form.
func cellStrings(cs []h3.Cell) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}
