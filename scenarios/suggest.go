package scenarios

import "strings"

// suggest returns "; did you mean X?" for the candidate closest to name when it is close enough to
// be a likely typo (at most two edits, and fewer than the name is long), and "" otherwise.
func suggest(name string, candidates []string) string {
	best, bestDist := "", min(3, len([]rune(name)))
	for _, c := range candidates {
		if d := distance(strings.ToLower(name), c); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + best + "?"
}

// distance is the Levenshtein distance between a and b, counted in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
