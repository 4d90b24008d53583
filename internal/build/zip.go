package build

import (
	"archive/zip"
	"io"
	"os"
	"time"
)

// ZipEntry is the name of the one file in the deployment zip: the name the
// provided.al2023 runtime executes.
const ZipEntry = "bootstrap"

// ZipTime is the fixed modification time of the zip entry.
var ZipTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Zip writes zipPath with exactly one entry, bootstrap (the contents of
// bootstrapPath), mode 0755, modified at ZipTime, deflated, and returns the
// zip's size. The output depends only on the input bytes: two calls give
// byte-identical zips. On error no zip is left at zipPath.
func Zip(bootstrapPath, zipPath string) (size int64, err error) {
	src, err := os.Open(bootstrapPath)
	if err != nil {
		return 0, err
	}
	defer src.Close()

	f, err := os.OpenFile(zipPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(zipPath)
		}
	}()

	zw := zip.NewWriter(f)
	hdr := &zip.FileHeader{Name: ZipEntry, Method: zip.Deflate, Modified: ZipTime}
	// SetMode also records Unix as the creator, so unzip restores the mode.
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return 0, err
	}
	if _, err := io.Copy(w, src); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	if err := f.Close(); err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
