// Interoperability check of gongzhi's transparency log against the Go reference packages
// golang.org/x/mod/sumdb/tlog and golang.org/x/mod/sumdb/note (Debian golang-golang-x-mod-dev),
// built offline. It fetches from a running gongzhi server:
//   - /tlog/verifier-key and /tlog/checkpoint: note.NewVerifier + note.Open, checkpoint lines;
//   - every hash tile through tlog.TileHashReader (which authenticates each tile against the
//     signed root), the root through tlog.TreeHash;
//   - every entry bundle: each entry's tlog.RecordHash equals the level-0 hash;
//   - /api/v1/tlog/entries/N and /api/v1/tlog/inclusion for every index: tlog.CheckRecord, and
//     the served proof equals tlog.ProveRecord over the tiles;
//   - /api/v1/tlog/consistency from every size in OLD_SIZES and several others: tlog.CheckTree
//     and equality with tlog.ProveTree; the old checkpoint's note opens too.
// Usage: interop <base url> [old size ...]. Exit 0 when everything checks, 1 otherwise.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var base string

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "interop: FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func get(path string) []byte {
	resp, err := http.Get(base + path)
	if err != nil {
		fail("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		fail("GET %s: %v", path, err)
	}
	if resp.StatusCode != 200 {
		fail("GET %s: status %d: %s", path, resp.StatusCode, body)
	}
	return body
}

// C2SP paths drop Go's tile height element: tile/8/0/x001/234 -> tile/0/x001/234.
func c2spPath(t tlog.Tile) string {
	p := t.Path()
	if !strings.HasPrefix(p, "tile/8/") {
		fail("unexpected Go tile path %s", p)
	}
	p = "tile/" + strings.TrimPrefix(p, "tile/8/")
	return strings.Replace(p, "tile/data/", "tile/entries/", 1)
}

type tileReader struct{ fetched int }

func (r *tileReader) Height() int { return 8 }
func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		out[i] = get("/tlog/" + c2spPath(t))
		r.fetched++
	}
	return out, nil
}
func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

func parseCheckpoint(text string) (string, tlog.Tree) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		fail("checkpoint text has too few lines or no final newline: %q", text)
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != lines[1] {
		fail("checkpoint size %q", lines[1])
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("checkpoint root %q: %v", lines[2], err)
	}
	return lines[0], tlog.Tree{N: n, Hash: h}
}

func decodeHashes(list []string) []tlog.Hash {
	var out []tlog.Hash
	for _, s := range list {
		h, err := tlog.ParseHash(s)
		if err != nil {
			fail("proof hash %q: %v", s, err)
		}
		out = append(out, h)
	}
	return out
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: interop <base url> [old size ...]")
	}
	base = strings.TrimRight(os.Args[1], "/")

	vkey := strings.TrimSpace(string(get("/tlog/verifier-key")))
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("note.NewVerifier(%q): %v", vkey, err)
	}
	msg := get("/tlog/checkpoint")
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		fail("note.Open(checkpoint): %v", err)
	}
	if len(n.Sigs) != 1 || n.Sigs[0].Name != verifier.Name() || n.Sigs[0].Hash != verifier.KeyHash() {
		fail("unexpected signatures %+v", n.Sigs)
	}
	origin, tree := parseCheckpoint(n.Text)
	if origin != verifier.Name() {
		fail("origin %q is not the key name %q", origin, verifier.Name())
	}
	if tree.N < 2 {
		fail("the log under test must have entries (has %d)", tree.N)
	}
	reader := &tileReader{}
	thr := tlog.TileHashReader(tree, reader)
	root, err := tlog.TreeHash(tree.N, thr)
	if err != nil || root != tree.Hash {
		fail("tlog.TreeHash over the served tiles: %v (%v vs %v)", err, root, tree.Hash)
	}

	// Every entry bundle against the (authenticated) level-0 hashes.
	var leafIdx []int64
	for i := int64(0); i < tree.N; i++ {
		leafIdx = append(leafIdx, tlog.StoredHashIndex(0, i))
	}
	leaves, err := thr.ReadHashes(leafIdx)
	if err != nil {
		fail("reading leaf hashes: %v", err)
	}
	entries := make([][]byte, 0, tree.N)
	for start := int64(0); start < tree.N; start += 256 {
		w := tree.N - start
		path := fmt.Sprintf("/tlog/%s", c2spPath(tlog.Tile{H: 8, L: -1, N: start / 256, W: 256}))
		if w < 256 {
			path = fmt.Sprintf("/tlog/%s", c2spPath(tlog.Tile{H: 8, L: -1, N: start / 256, W: int(w)}))
		} else {
			w = 256
		}
		bundle := get(path)
		for k := int64(0); k < w; k++ {
			if len(bundle) < 2 {
				fail("%s: truncated", path)
			}
			l := int(bundle[0])<<8 | int(bundle[1])
			if len(bundle) < 2+l {
				fail("%s: truncated entry", path)
			}
			e := bundle[2 : 2+l]
			bundle = bundle[2+l:]
			if tlog.RecordHash(e) != leaves[start+k] {
				fail("entry %d in %s does not hash to its tile hash", start+k, path)
			}
			entries = append(entries, e)
		}
		if len(bundle) != 0 {
			fail("%s: bytes after the last entry", path)
		}
	}

	// JSON endpoints: every entry, every inclusion proof.
	for i := int64(0); i < tree.N; i++ {
		var raw map[string]interface{}
		if err := json.Unmarshal(get(fmt.Sprintf("/api/v1/tlog/entries/%d", i)), &raw); err != nil {
			fail("entries/%d: %v", i, err)
		}
		entry, _ := raw["entry"].(string)
		e, err := base64.StdEncoding.Strict().DecodeString(entry)
		if err != nil || !bytes.Equal(e, entries[i]) || raw["index"] != strconv.FormatInt(i, 10) {
			fail("entries/%d does not match the bundle", i)
		}
		var inc struct {
			RootHash   string
			Proof      []string
			Checkpoint *string
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(get(fmt.Sprintf("/api/v1/tlog/inclusion?index=%d&tree_size=%d", i, tree.N)), &m); err != nil {
			fail("inclusion %d: %v", i, err)
		}
		json.Unmarshal(m["proof"], &inc.Proof)
		json.Unmarshal(m["checkpoint"], &inc.Checkpoint)
		json.Unmarshal(m["root_hash"], &inc.RootHash)
		proof := tlog.RecordProof(decodeHashes(inc.Proof))
		if err := tlog.CheckRecord(proof, tree.N, tree.Hash, i, tlog.RecordHash(entries[i])); err != nil {
			fail("tlog.CheckRecord(index %d, size %d): %v", i, tree.N, err)
		}
		ref, err := tlog.ProveRecord(tree.N, i, thr)
		if err != nil || len(ref) != len(proof) {
			fail("tlog.ProveRecord(%d): %v", i, err)
		}
		for k := range ref {
			if ref[k] != proof[k] {
				fail("inclusion proof of %d differs from tlog.ProveRecord", i)
			}
		}
		if inc.RootHash != tree.Hash.String() {
			fail("inclusion %d: root_hash %s", i, inc.RootHash)
		}
		// tree.N is the newest signed size (the harness lets the log settle first), so the
		// answer carries that very checkpoint.
		if inc.Checkpoint == nil || *inc.Checkpoint != string(msg) {
			fail("inclusion %d: the checkpoint of the signed size %d is missing or differs", i, tree.N)
		}
	}

	// Consistency from the given old sizes (signed earlier) and from a spread of others.
	olds := []int64{1, 2, 3, tree.N / 2, tree.N - 1, tree.N}
	for _, a := range os.Args[2:] {
		v, err := strconv.ParseInt(a, 10, 64)
		if err != nil {
			fail("old size %q", a)
		}
		olds = append(olds, v)
		// The old signed checkpoint, through the inclusion endpoint at that size.
		var m map[string]json.RawMessage
		json.Unmarshal(get(fmt.Sprintf("/api/v1/tlog/inclusion?index=0&tree_size=%d", v)), &m)
		var cp *string
		json.Unmarshal(m["checkpoint"], &cp)
		if cp == nil {
			fail("no signed checkpoint kept for the old size %d", v)
		}
		on, err := note.Open([]byte(*cp), note.VerifierList(verifier))
		if err != nil {
			fail("note.Open(old checkpoint %d): %v", v, err)
		}
		_, old := parseCheckpoint(on.Text)
		h, _ := tlog.TreeHash(v, thr)
		if old.N != v || old.Hash != h {
			fail("the old checkpoint of size %d does not match the current tree", v)
		}
	}
	for _, m := range olds {
		if m < 1 || m > tree.N {
			continue
		}
		var c struct{ Proof []string }
		if err := json.Unmarshal(get(fmt.Sprintf("/api/v1/tlog/consistency?from=%d&to=%d", m, tree.N)), &c); err != nil {
			fail("consistency %d: %v", m, err)
		}
		proof := tlog.TreeProof(decodeHashes(c.Proof))
		oldRoot, err := tlog.TreeHash(m, thr)
		if err != nil {
			fail("tlog.TreeHash(%d): %v", m, err)
		}
		if err := tlog.CheckTree(proof, tree.N, tree.Hash, m, oldRoot); err != nil {
			fail("tlog.CheckTree(%d -> %d): %v", m, tree.N, err)
		}
		ref, err := tlog.ProveTree(tree.N, m, thr)
		if err != nil || len(ref) != len(proof) {
			fail("tlog.ProveTree(%d -> %d): %v (%d vs %d hashes)", m, tree.N, err, len(ref), len(proof))
		}
		for k := range ref {
			if ref[k] != proof[k] {
				fail("consistency proof %d -> %d differs from tlog.ProveTree", m, tree.N)
			}
		}
	}
	fmt.Printf("interop: ok: %s size %d, %d entries, %d tiles fetched, %d consistency sizes, key %s\n",
		origin, tree.N, len(entries), reader.fetched, len(olds), vkey)
}
