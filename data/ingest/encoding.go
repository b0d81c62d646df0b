package ingest

import (
	"bufio"
	"compress/gzip"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/dazhigu/hotspot/data"
)

// Decode returns in as UTF-8 text: inflated when encoding is gzip (to at
// most limit bytes; 0: no limit) and decoded from the charset it is
// labelled with (exports of Chinese platforms are often GBK or GB18030).
// A label that the bytes contradict (UTF-8 text labelled GBK would be
// stored garbled) is refused, as is an encoding or charset it cannot read.
// The API decodes request bodies with it and import its files, so that the
// two read the same bytes the same way.
func Decode(in io.Reader, encoding, charsetLabel string, limit int64) (io.Reader, error) {
	r := in
	switch enc := strings.ToLower(strings.TrimSpace(encoding)); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, data.Errorf(data.EINVALID, "the input is labelled gzip but is not gzip")
		}
		r = zr
		if limit > 0 {
			r = &boundedReader{r: zr, left: limit} // what it inflates to is bounded too
		}
	default:
		return nil, data.Errorf(data.EUNSUPPORTED, "encoding %q is not accepted; send the input as is or gzip", enc)
	}
	switch cs := strings.ToLower(strings.TrimSpace(charsetLabel)); cs {
	case "", "utf-8", "utf8", "us-ascii":
		return r, nil
	default:
		br := bufio.NewReaderSize(r, 64<<10)
		if head, _ := br.Peek(64 << 10); looksUTF8(head) {
			return nil, data.Errorf(data.EINVALID, "the input is labelled charset=%s but its bytes are UTF-8 text: label it charset=utf-8", cs)
		}
		dec, err := charset.NewReaderLabel(cs, br)
		if err != nil {
			return nil, data.Errorf(data.EUNSUPPORTED, "charset %q is not supported; send UTF-8, GBK or GB18030", cs)
		}
		return dec, nil
	}
}

// looksUTF8 reports whether b has non-ASCII text that is valid UTF-8 (a
// rune cut at its end aside): bytes a GBK or GB18030 label would garble.
// Chinese text in GBK is almost never valid UTF-8.
func looksUTF8(b []byte) bool {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return false
	}
	for i := 0; i < utf8.UTFMax && len(b) > 0 && !utf8.Valid(b); i++ {
		b = b[:len(b)-1] // a rune cut by the peek
	}
	return utf8.Valid(b)
}

// boundedReader fails with ETOOLARGE once more than left bytes are read.
type boundedReader struct {
	r    io.Reader
	left int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if b.left -= int64(n); b.left < 0 {
		return n, data.Errorf(data.ETOOLARGE, "the input inflates to more than the largest accepted")
	}
	return n, err
}
