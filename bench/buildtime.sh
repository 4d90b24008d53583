#!/usr/bin/env bash
# buildtime.sh CHALICE [ROUNDS]: warm build times of the 13-route app in
# bench/buildapp, `chalice-package build` against Chalice's `chalice package`
# of the same app in Python (CHALICE is the chalice command of a venv with
# `pip install chalice`). Two cases: no change since the last build, and a
# one-line edit before each build. Runs alternate between the two tools, so
# both see the same load on the machine. Not for CI: it measures time.
set -euo pipefail
chalice=${1:?usage: buildtime.sh CHALICE [ROUNDS]}
rounds=${2:-7}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/buildapp/app" "$work/goapp"
cp -r "$here/buildapp/chalice" "$work/pyapp"
cat >"$work/goapp/go.mod" <<MOD
module example.com/routes13

go 1.26

require github.com/gochalice/gochalice v0.0.0

replace github.com/gochalice/gochalice => $here/..
MOD
cp "$here/../go.sum" "$work/goapp/"
(cd "$work/goapp" && GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1)
(cd "$here/.." && go build -o "$work/chalice-package" ./cmd/chalice-package)
export AWS_DEFAULT_REGION=${AWS_DEFAULT_REGION:-us-east-1}

secs() { # secs CMD...: wall time of CMD in seconds
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}
gobuild() { (cd "$work/goapp" && "$work/chalice-package" build --out "$work/goout" .); }
pypackage() { (cd "$work/pyapp" && "$chalice" package --template-format yaml "$work/pyout"); }
edit() { # edit N: the one-line edit, in both apps
	sed -i "s/^const greeting = .*/const greeting = \"world $1\"/" "$work/goapp/main.go"
	sed -i "s/^GREETING = .*/GREETING = 'world $1'/" "$work/pyapp/app.py"
}

gobuild >/dev/null 2>&1 && pypackage >/dev/null 2>&1 # warm both
declare -a go_same py_same go_edit py_edit
for i in $(seq 1 "$rounds"); do
	go_same+=("$(secs gobuild)")
	py_same+=("$(secs pypackage)")
	edit "$i"
	go_edit+=("$(secs gobuild)")
	py_edit+=("$(secs pypackage)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-28s %8s %8s %8s\n' "warm build, $rounds rounds" "median" "min" "max"
for c in go_same py_same go_edit py_edit; do
	declare -n v=$c
	label=${c/go_/chalice-package build, }
	label=${label/py_/chalice package, }
	label=${label/same/no change}
	label=${label/edit/one-line edit}
	printf '%-28s %7.2fs %7.2fs %7.2fs\n' "$label" "$(median "${v[@]}")" \
		"$(printf '%s\n' "${v[@]}" | sort -n | head -1)" "$(printf '%s\n' "${v[@]}" | sort -n | tail -1)"
done
