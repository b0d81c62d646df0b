package forecast

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// onCores calls do(i) for every i in [0, n), on as many goroutines as
// there are cores, each taking the next i when it is done with one; it
// returns when every call has. What do writes must be its i's alone.
func onCores(n int, do func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				do(i)
			}
		})
	}
	wg.Wait()
}
