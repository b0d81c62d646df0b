package ogc

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/data"
)

var testCollection = Collection{ID: "things", Title: "Things", Geometry: "Point",
	Queryables: []Queryable{{Name: "kind", Type: TypeString}, {Name: "n", Type: TypeInteger}, {Name: "at", Type: TypeTime},
		{Name: "ok", Type: TypeBoolean}},
	TimeProperty: "at"}

func thing(id int, kind string, n int, at string, ok bool, lon float64) *geojson.Feature {
	f := geojson.NewFeature(orb.Point{lon, 39})
	f.ID = id
	f.Properties = geojson.Properties{"kind": kind, "n": n, "at": at, "ok": ok}
	return f
}

var things = []*geojson.Feature{
	thing(1, "a", 3, "2026-05-01T08:00:00+08:00", true, 117.1),
	thing(2, "b", 1, "2026-05-02T08:00:00+08:00", false, 117.2),
	thing(3, "a", 2, "2026-05-03T08:00:00+08:00", true, 117.3),
	thing(4, "c", 5, "2026-05-04T08:00:00+08:00", false, 117.4),
	thing(5, "a", 4, "2026-05-05T08:00:00+08:00", true, 117.5),
}

func TestSelect(t *testing.T) {
	cases := []struct {
		query       string
		want        string // ids of the page
		wantMatched int
	}{
		{"", "12345", 5},
		{"limit=2", "12", 5},
		{"limit=2&offset=2", "34", 5},
		{"offset=4", "5", 5},
		{"offset=9", "", 5},
		{"kind=a", "135", 3},
		{"n=2", "3", 1},
		{"ok=false", "24", 2},
		{"id=4", "4", 1},
		{"at=2026-05-02T00:00:00Z", "2", 1},
		{"bbox=117.15,38,117.35,40", "23", 2},
		{"datetime=2026-05-02T00:00:00Z/2026-05-04T00:00:00Z", "234", 3}, // the end (4's instant) is inclusive
		{"datetime=2026-05-04T00:00:00Z/..", "45", 2},
		{"datetime=../2026-05-01T00:00:00Z", "1", 1},
		{"datetime=2026-05-03T00:00:00Z", "3", 1},
		{"sortby=-n", "45132", 5},
		{"sortby=kind,-n&limit=3", "513", 5},
		{"sortby=%2Bn&offset=1&limit=2", "31", 5},
		{"filter=" + url.QueryEscape("kind = 'a' AND n >= 3"), "15", 2},
		{"filter=" + url.QueryEscape("at > TIMESTAMP('2026-05-03T00:00:00Z') OR NOT (ok = true)"), "245", 3},
		{"filter=" + url.QueryEscape("S_INTERSECTS(geometry, BBOX(117.25,38,118,40))") + "&kind=a", "35", 2},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			v, _ := url.ParseQuery(c.query)
			q, err := testCollection.ParseQuery(v)
			if err != nil {
				t.Fatalf("ParseQuery(%s): %v", c.query, err)
			}
			page, matched, err := testCollection.Select(q, things)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for _, f := range page {
				got += fmt.Sprint(f.ID)
			}
			if got != c.want || matched != c.wantMatched {
				t.Errorf("Select(%s) = %q of %d, want %q of %d", c.query, got, matched, c.want, c.wantMatched)
			}
		})
	}
}

func TestParseQueryRefuses(t *testing.T) {
	cases := []struct{ query, field string }{
		{"limit=0", "limit"}, {"limit=10001", "limit"}, {"limit=x", "limit"}, {"offset=-2", "offset"},
		{"bbox=1,2,3", "bbox"}, {"bbox=1,2,3,x", "bbox"}, {"bbox=3,2,1,4", "bbox"}, {"bbox=-181,0,0,1", "bbox"},
		{"datetime=tomorrow", "datetime"}, {"datetime=2026-05-02T00:00:00Z/2026-05-01T00:00:00Z", "datetime"},
		{"filter=kind%20%3D", "filter"}, {"filter=colour%20%3D%20'red'", "filter"}, {"filter-lang=cql2-json", "filter-lang"},
		{"filter-crs=EPSG:4490", "filter-crs"}, {"crs=EPSG:3857", "crs"}, {"f=html", "f"},
		{"sortby=colour", "sortby"}, {"sortby=geometry", "sortby"}, {"colour=red", "colour"}, {"geometry=x", "geometry"},
	}
	for _, c := range cases {
		v, _ := url.ParseQuery(c.query)
		_, err := testCollection.ParseQuery(v)
		var de *data.Error
		if !asError(err, &de) || de.Code != data.EINVALID || len(de.Problems) == 0 || de.Problems[0].Field != c.field {
			t.Errorf("ParseQuery(%s) = %v, want EINVALID naming %s", c.query, err, c.field)
		}
	}
	timeless := Collection{ID: "roads"}
	if _, err := timeless.ParseQuery(url.Values{"datetime": {"2026-05-01T00:00:00Z"}}); err == nil {
		t.Error("datetime on a collection without time is accepted")
	}
}

func asError(err error, target **data.Error) bool {
	de, ok := err.(*data.Error)
	*target = de
	return ok
}

func TestItemsLinks(t *testing.T) {
	l := Linker{Base: "http://h/ogc", Keep: url.Values{"api_key": {"k"}}}
	q := url.Values{"kind": {"a"}, "offset": {"20"}, "api_key": {"k"}}
	ls := l.ItemsLinks(testCollection, q, 20, 10, 10, 45)
	want := map[string]string{
		"self": "http://h/ogc/collections/things/items?api_key=k&kind=a&limit=10&offset=20",
		"next": "http://h/ogc/collections/things/items?api_key=k&kind=a&limit=10&offset=30",
		"prev": "http://h/ogc/collections/things/items?api_key=k&kind=a&limit=10&offset=10",
	}
	got := map[string]string{}
	for _, k := range ls {
		got[k.Rel] = k.Href
		if k.Type == "" {
			t.Errorf("link %s has no type", k.Rel)
		}
	}
	for rel, href := range want {
		if got[rel] != href {
			t.Errorf("%s = %s, want %s", rel, got[rel], href)
		}
	}
	if last := l.ItemsLinks(testCollection, nil, 40, 10, 5, 45); len(last) != 3 || last[2].Rel != "prev" {
		t.Errorf("the last page's links = %v, want self, collection, prev", last)
	}
}
