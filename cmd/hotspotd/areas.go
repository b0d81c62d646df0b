package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/data"
	"github.com/dazhigu/hotspot/data/seed"
)

// areas manages the named areas: import a GeoJSON FeatureCollection of
// them, or list them.
func areas(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "list") {
		return errors.New("areas needs a command: import FILE or list")
	}
	var c config
	fs := newFlags("areas "+args[0], stderr)
	c.storeFlags(fs)
	if err := c.parse(fs, args[1:]); err != nil {
		return err
	}
	s, err := c.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := seed.Load(ctx, s); err != nil {
		return err
	}
	if args[0] == "list" {
		as, err := s.Areas(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-30s %-20s %-30s %s\n", "ID", "PARENT", "NAME", "VERTICES")
		for _, a := range as {
			fmt.Fprintf(stdout, "%-30s %-20s %-30s %d\n", a.ID, cmp.Or(a.Parent, "-"), a.Name, len(a.Boundary[0]))
		}
		return nil
	}
	if fs.NArg() != 1 {
		return errors.New("areas import needs one FILE: a GeoJSON FeatureCollection of Polygon features with id, name and parent")
	}
	as, err := readAreas(fs.Arg(0))
	if err != nil {
		return err
	}
	for _, a := range as {
		detail := fmt.Sprintf("%s, parent %q, %d vertices, from %s", a.Name, a.Parent, len(a.Boundary[0]), fs.Arg(0))
		e := cliAudit("area.put", detail)
		e.Target = a.ID
		if err := s.PutArea(ctx, a, e); err != nil {
			return fmt.Errorf("area %s: %s", a.ID, data.ErrorMessage(err))
		}
	}
	fmt.Fprintf(stdout, "imported %d areas from %s\n", len(as), fs.Arg(0))
	return nil
}

// readAreas reads and checks every area of a FeatureCollection, parents
// before the areas they hold (districts, streets, communities, grids).
func readAreas(path string) ([]data.Area, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: a GeoJSON FeatureCollection of areas is needed: %v", path, err)
	}
	as := make([]data.Area, 0, len(fc.Features))
	seen := map[string]bool{}
	for i, f := range fc.Features {
		a, err := data.AreaOfFeature(f)
		if err != nil {
			return nil, fmt.Errorf("%s: feature %d: %s", path, i+1, problemText(err))
		}
		if seen[a.ID] {
			return nil, fmt.Errorf("%s: feature %d: area %s twice", path, i+1, a.ID)
		}
		seen[a.ID] = true
		as = append(as, a)
	}
	rank := func(a data.Area) int { return slices.Index(data.AreaKinds, a.Kind()) }
	slices.SortStableFunc(as, func(a, b data.Area) int { return cmp.Compare(rank(a), rank(b)) })
	return as, nil
}

// problemText is an error's message with its first problem.
func problemText(err error) string {
	var e *data.Error
	if errors.As(err, &e) && len(e.Problems) > 0 {
		return e.Message + ": " + e.Problems[0].Field + " " + e.Problems[0].Reason
	}
	return data.ErrorMessage(err)
}
