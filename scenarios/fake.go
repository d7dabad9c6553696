package scenarios

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Person is a synthetic applicant for filling forms. Its values look valid to a form's checks but
// are recognisably made up: the ID number is from area 341502 with a correct check digit, and the
// mobile number is in the 1380000xxxx block.
type Person struct {
	Name   string
	IDCard string // 18-digit resident ID number (GB 11643) with a valid check digit
	Phone  string // 11-digit mobile number, 1380000xxxx
	Birth  time.Time
	Female bool
}

// Fake makes synthetic people, the same sequence for the same seed, so that a replay of a run
// fills in the same values as the run it replays.
type Fake struct {
	src *rand.PCG
}

// NewFake returns a generator seeded with seed.
func NewFake(seed uint64) *Fake {
	return &Fake{src: rand.NewPCG(seed, 0x7469_7961_6e)} // "tiyan"
}

// The area code of synthetic ID numbers, and the prefix of synthetic mobile numbers.
const (
	FakeArea        = "341502"
	FakePhonePrefix = "1380000"
)

var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢")
	given    = strings.Fields(`伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 秀英 桂英 建华 志强
		晓明 海燕 文华 玉兰 国庆 建国 丽华 志明 淑珍 春梅 子涵 浩然 欣怡 宇轩 梓萱 俊杰 思远 雨桐`)
	birthFrom = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	birthTo   = time.Date(2000, 12, 31, 0, 0, 0, 0, time.UTC)
)

// n returns a number in [0, k); it uses only PCG's specified output so that a seed gives the same
// values across Go releases.
func (f *Fake) n(k int) int { return int(f.src.Uint64() % uint64(k)) }

// Person returns the next synthetic person.
func (f *Fake) Person() Person {
	p := Person{Name: f.Name(), Phone: f.Phone()}
	days := int(birthTo.Sub(birthFrom).Hours()/24) + 1
	p.Birth = birthFrom.AddDate(0, 0, f.n(days))
	seq := 1 + f.n(999) // 001–999; odd for men, even for women
	p.Female = seq%2 == 0
	p.IDCard = idCard(FakeArea, p.Birth, seq)
	return p
}

// Name returns a name made of a common surname and a common given name.
func (f *Fake) Name() string { return string(surnames[f.n(len(surnames))]) + given[f.n(len(given))] }

// Phone returns an 11-digit mobile number in the 1380000xxxx block.
func (f *Fake) Phone() string { return fmt.Sprintf("%s%04d", FakePhonePrefix, f.n(10000)) }

// IDCard returns an 18-digit ID number for area 341502, born 1970–2000, with a valid check digit.
func (f *Fake) IDCard() string { return f.Person().IDCard }

func idCard(area string, birth time.Time, seq int) string {
	first := fmt.Sprintf("%s%s%03d", area, birth.Format("20060102"), seq)
	return first + string(IDCheckDigit(first))
}

// idWeights are the GB 11643-1999 weights of the first 17 digits: 2^(18-i) mod 11.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// IDCheckDigit returns the GB 11643 check character ('0'–'9' or 'X') for the first 17 digits of a
// resident ID number, or 0 when first17 is not 17 digits.
func IDCheckDigit(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := range 17 {
		c := first17[i]
		if c < '0' || c > '9' {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

// ValidIDCard reports whether s is an 18-character resident ID number with a real birth date and
// a correct GB 11643 check character.
func ValidIDCard(s string) bool {
	if len(s) != 18 {
		return false
	}
	if _, err := time.Parse("20060102", s[6:14]); err != nil {
		return false
	}
	return IDCheckDigit(s[:17]) == strings.ToUpper(s[17:])[0]
}
