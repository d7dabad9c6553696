package auth

import (
	"strings"
	"sync"
)

// Passwords people pick first, refused whatever their length: the most common words and names
// of password lists (and the Chinese ones: pinyin names, 我爱你, 1314, 520), the portal's own
// names, keyboard walks and digit runs, each with the endings people add (years, 123, !, @123).
// The list is made here from those parts rather than copied from a leaked one; it holds a few
// thousand passwords of twelve characters or more (shorter ones are refused by length).

var commonWords = []string{
	"password", "passw0rd", "p@ssw0rd", "p@ssword", "pass", "iloveyou", "woaini", "woaiwojia", "admin", "administrator",
	"root", "welcome", "letmein", "qwerty", "qwertyuiop", "asdfgh", "asdfghjkl", "zxcvbnm", "abc", "abcdef", "abcdefg",
	"abcdefgh", "monkey", "dragon", "sunshine", "princess", "football", "baseball", "superman", "batman", "master",
	"shadow", "michael", "jennifer", "trustno1", "starwars", "whatever", "computer", "internet", "changeme", "default",
	"secret", "login", "user", "test", "guest", "hello", "freedom", "zhangwei", "wangwei", "liwei", "wangfang", "liuyang",
	"zhangmin", "lijing", "wangjing", "liqiang", "zhangli", "wangxiu", "anhui", "hefei", "luan", "liuan", "zhengwu",
	"wanshitong", "ahzwfw", "zwfw", "gov", "china", "beijing", "shanghai", "huawei", "xiaomi", "tencent", "baidu",
	"tiyan", "aini", "woaini1314", "woaini520", "caonima", "nihao", "xiaoming", "xiaohong", "fuckyou", "killer",
	"loveyou", "lovely", "qazwsx", "1qaz2wsx", "1q2w3e4r", "1q2w3e", "a1b2c3", "aa", "aaa", "qq", "qwe", "asd", "zxc",
}

var commonEndings = []string{
	"", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "1234567890", "0", "00", "000",
	"0000", "111", "888", "8888", "666", "6666", "520", "1314", "5201314", "!", "!!", "!@#", "@123", "#123", "@1234",
	".123", "_123", "123!", "123.", "2020", "2021", "2022", "2023", "2024", "2025", "2026", "2027", "@2024", "@2025",
	"@2026", "@2027", "!2025", "!2026", "#2026", "_2026", ".2026", "1990", "1995", "2000",
}

var commonPatterns = []string{
	"qwertyuiop12", "qwertyuiopas", "1qaz2wsx3edc", "1qaz@wsx3edc", "1q2w3e4r5t6y", "1q2w3e4r5t6y7u", "zaq12wsxcde3",
	"qazwsxedcrfv", "qazwsxedcrfvtgb", "asdfghjkl123", "zxcvbnm12345", "!qaz@wsx#edc", "qwer1234asdf", "1234qwerasdf",
	"abcd1234efgh", "qwertyqwerty", "passwordpassword", "adminadmin123", "aaaaaaaaaaaa", "abcabcabcabc",
	"abcdefghijkl", "abcdefghijklmn", "q1w2e3r4t5y6", "a1s2d3f4g5h6", "1a2b3c4d5e6f", "7758521775852",
}

// commonSet is the set of common passwords, lower-cased, made once.
var commonSet = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	add := func(p string) {
		if len(p) >= MinPassword {
			set[strings.ToLower(p)] = true
		}
	}
	for _, w := range commonWords {
		for _, e := range commonEndings {
			add(w + e)
			add(w + w + e)
		}
	}
	for _, p := range commonPatterns {
		add(p)
	}
	digits := "12345678901234567890"
	for n := MinPassword; n <= 20; n++ {
		add(digits[:n])
		add(reverse(digits[:n]))
		for d := '0'; d <= '9'; d++ {
			add(strings.Repeat(string(d), n))
		}
	}
	return set
})

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// Common reports whether pw is one of the common passwords, whatever its letters' case.
func Common(pw string) bool { return commonSet()[strings.ToLower(pw)] }
