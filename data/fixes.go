package data

import (
	"encoding/binary"
	"math"
	"time"

	"github.com/paulmach/orb"
)

// fixBytes is the size of one encoded fix.
const fixBytes = 24

// EncodeFixes packs fixes compactly for storage: per fix, little-endian Unix
// microseconds (int64, the precision stores keep for every time), longitude
// and latitude (float64). Both stores keep a track's fixes in this form.
func EncodeFixes(fs []Fix) []byte {
	b := make([]byte, 0, len(fs)*fixBytes)
	for _, f := range fs {
		b = binary.LittleEndian.AppendUint64(b, uint64(f.Time.UnixMicro()))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f.Point[0]))
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f.Point[1]))
	}
	return b
}

// DecodeFixes unpacks what EncodeFixes packed; times are in UTC.
func DecodeFixes(b []byte) ([]Fix, error) {
	if len(b)%fixBytes != 0 {
		return nil, Errorf(EINTERNAL, "fixes: %d bytes is not a whole number of fixes", len(b))
	}
	fs := make([]Fix, len(b)/fixBytes)
	for i := range fs {
		r := b[i*fixBytes:]
		fs[i] = Fix{
			Time: time.UnixMicro(int64(binary.LittleEndian.Uint64(r))).UTC(),
			Point: orb.Point{
				math.Float64frombits(binary.LittleEndian.Uint64(r[8:])),
				math.Float64frombits(binary.LittleEndian.Uint64(r[16:])),
			},
		}
	}
	return fs, nil
}
