// The Go reference side of the transparency-log benchmark (bench/tlog/run.sh): the same work as
// bench/tlog_compare.cc, done by golang.org/x/mod/sumdb/tlog (Debian golang-golang-x-mod-dev),
// over an in-memory stored-hash array. Prints one JSON object.
//
//   tlog_compare <leaves> <proofs> <seed>
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	n, _ := strconv.ParseInt(os.Args[1], 10, 64)
	proofs, _ := strconv.Atoi(os.Args[2])
	seed, _ := strconv.ParseInt(os.Args[3], 10, 64)
	stored := make([]tlog.Hash, 0, 2*n)
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	start := time.Now()
	for i := int64(0); i < n; i++ {
		h, err := tlog.StoredHashes(i, []byte("entry "+strconv.FormatInt(i, 10)), reader)
		if err != nil {
			panic(err)
		}
		stored = append(stored, h...)
	}
	appendSec := time.Since(start).Seconds()
	root, _ := tlog.TreeHash(n, reader)

	rng := rand.New(rand.NewSource(seed))
	start = time.Now()
	total := 0
	for i := 0; i < proofs; i++ {
		p, err := tlog.ProveRecord(n, rng.Int63n(n), reader)
		if err != nil {
			panic(err)
		}
		total += len(p)
	}
	inclSec := time.Since(start).Seconds()
	start = time.Now()
	for i := 0; i < proofs; i++ {
		p, err := tlog.ProveTree(n, 1+rng.Int63n(n-1), reader)
		if err != nil {
			panic(err)
		}
		total += len(p)
	}
	consSec := time.Since(start).Seconds()
	out, _ := json.Marshal(map[string]interface{}{
		"impl": "go x/mod/sumdb/tlog", "leaves": n, "proofs": proofs,
		"appends_per_s":      float64(n) / appendSec,
		"inclusion_per_s":    float64(proofs) / inclSec,
		"consistency_per_s":  float64(proofs) / consSec,
		"root":               root.String(),
		"proof_hashes_total": total,
	})
	fmt.Println(string(out))
}
