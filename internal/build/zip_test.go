package build

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func writeFile(t *testing.T, path string, data []byte, mode fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, data, mode); err != nil {
		t.Fatal(err)
	}
}

func zipInputs(t *testing.T) map[string][]byte {
	random := make([]byte, 1<<20)
	rand.Read(random)
	return map[string][]byte{
		"empty":      {},
		"small":      []byte("#!/bin/sh\necho hello\n"),
		"random-1MB": random,
		"zeros-4MB":  make([]byte, 4<<20),
	}
}

func TestZipDeterministic(t *testing.T) {
	for name, data := range zipInputs(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "bootstrap")
			writeFile(t, bin, data, 0o755)

			a, b := filepath.Join(dir, "a.zip"), filepath.Join(dir, "b.zip")
			sizeA, err := Zip(bin, a)
			if err != nil {
				t.Fatal(err)
			}
			// The source's own mode and mtime must not matter.
			if err := os.Chmod(bin, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(bin, ZipTime.AddDate(40, 0, 0), ZipTime.AddDate(40, 0, 0)); err != nil {
				t.Fatal(err)
			}
			sizeB, err := Zip(bin, b)
			if err != nil {
				t.Fatal(err)
			}
			za, zb := readAll(t, a), readAll(t, b)
			if !bytes.Equal(za, zb) {
				t.Fatalf("two zips of the same input differ (%d and %d bytes)", len(za), len(zb))
			}
			if sizeA != int64(len(za)) || sizeB != sizeA {
				t.Errorf("sizes %d, %d; file is %d bytes", sizeA, sizeB, len(za))
			}
		})
	}
}

func TestZipEntry(t *testing.T) {
	for name, data := range zipInputs(t) {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			bin := filepath.Join(dir, "some-other-name")
			writeFile(t, bin, data, 0o644)
			zp := filepath.Join(dir, "deployment.zip")
			if _, err := Zip(bin, zp); err != nil {
				t.Fatal(err)
			}
			r, err := zip.OpenReader(zp)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if len(r.File) != 1 {
				t.Fatalf("zip has %d entries, want 1", len(r.File))
			}
			f := r.File[0]
			checks := []struct {
				what      string
				got, want any
			}{
				{"name", f.Name, "bootstrap"},
				{"mode", f.Mode(), fs.FileMode(0o755)},
				{"method", f.Method, zip.Deflate},
				{"creator (Unix)", f.CreatorVersion >> 8, uint16(3)},
				{"modified", f.Modified.UTC(), ZipTime},
				{"size", f.UncompressedSize64, uint64(len(data))},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
			if !f.Mode().IsRegular() {
				t.Errorf("mode %v is not a regular file", f.Mode())
			}
			if date, tm := f.ModifiedDate, f.ModifiedTime; date != 1<<5|1 || tm != 0 {
				t.Errorf("MS-DOS date/time = %#x/%#x, want 1980-01-01 00:00:00", date, tm)
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("archive/zip reads back %d bytes that differ from the %d written", len(got), len(data))
			}
		})
	}
}

func TestZipUnzip(t *testing.T) {
	unzip, err := exec.LookPath("unzip")
	if err != nil {
		t.Skip("unzip not installed")
	}
	dir := t.TempDir()
	data := zipInputs(t)["random-1MB"]
	bin := filepath.Join(dir, "in")
	writeFile(t, bin, data, 0o600)
	zp := filepath.Join(dir, "deployment.zip")
	if _, err := Zip(bin, zp); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "x")
	if out, err := exec.Command(unzip, "-q", zp, "-d", dest).CombinedOutput(); err != nil {
		t.Fatalf("unzip: %v\n%s", err, out)
	}
	if got := readAll(t, filepath.Join(dest, "bootstrap")); !bytes.Equal(got, data) {
		t.Error("unzipped bootstrap differs from the input")
	}
	fi, err := os.Stat(filepath.Join(dest, "bootstrap"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm()&0o111 != 0o111 {
		t.Errorf("unzipped bootstrap has mode %v, want executable (0755)", fi.Mode())
	}
	if out, err := exec.Command(unzip, "-tq", zp).CombinedOutput(); err != nil {
		t.Errorf("unzip -t: %v\n%s", err, out)
	}
}

func TestZipErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Zip(filepath.Join(dir, "missing"), filepath.Join(dir, "a.zip")); err == nil {
		t.Error("zipping a missing file succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "a.zip")); err == nil {
		t.Error("a failed Zip left a zip behind")
	}
	bin := filepath.Join(dir, "bootstrap")
	writeFile(t, bin, []byte("x"), 0o755)
	if _, err := Zip(bin, filepath.Join(dir, "no", "such", "dir.zip")); err == nil {
		t.Error("zipping into a missing directory succeeded")
	}
}

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestZipPieces checks the parallel deflate across piece boundaries: inputs
// just under, at and over multiples of zipChunk, with content that refers
// back across a boundary (a repeated random block), read back by
// archive/zip.
func TestZipPieces(t *testing.T) {
	block := make([]byte, 20<<10)
	rand.Read(block)
	for _, size := range []int{zipChunk - 1, zipChunk, zipChunk + 1, 3*zipChunk + 12345} {
		data := make([]byte, 0, size)
		for len(data) < size {
			data = append(data, block[:min(len(block), size-len(data))]...)
		}
		dir := t.TempDir()
		bin := filepath.Join(dir, "bootstrap")
		writeFile(t, bin, data, 0o755)
		zp := filepath.Join(dir, "deployment.zip")
		zsize, err := Zip(bin, zp)
		if err != nil {
			t.Fatal(err)
		}
		if zsize > int64(size)/2 {
			t.Errorf("size %d: zip is %d bytes; a repeated block should compress far better", size, zsize)
		}
		r, err := zip.OpenReader(zp)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := r.File[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc) // also checks the CRC-32
		rc.Close()
		r.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("size %d: read back %d bytes (%v), want the %d written", size, len(got), err, len(data))
		}
	}
}

// BenchmarkZip zips a 6 MB binary-like input (the size of a bootstrap).
func BenchmarkZip(b *testing.B) {
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	data := readAll(&testing.T{}, exe)
	for len(data) < 6<<20 {
		data = append(data, data...)
	}
	data = data[:6<<20]
	dir := b.TempDir()
	bin := filepath.Join(dir, "bootstrap")
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Zip(bin, filepath.Join(dir, "deployment.zip")); err != nil {
			b.Fatal(err)
		}
	}
}
