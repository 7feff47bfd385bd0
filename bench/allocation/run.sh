#!/usr/bin/env bash
# Allocation benchmark: aidbridge's allocation engine, run as the real
# binary, `aidbridge allocate --dimacs FILE`, against LEMON's
# `dimacs-solver -long` and GLPK's `glpsol --mincost` on the same generated
# instances, whole process each, runs alternating: transportation instances
# (SIZES, donors x needs) and the other families of bench/allocation/gen
# (FAMILIES at FSIZES, nodes x arcs).
#
#   bench/allocation/run.sh                # everything, 5 repetitions
#   REPS=3 SIZES="200x2000 2000x50000" FAMILIES= bench/allocation/run.sh
#   SIZES= FAMILIES="assign" FSIZES="10000x100000" bench/allocation/run.sh
#   GLPK_TIMEOUT=120 BIG_REPS=1 bench/allocation/run.sh
#   GLPK_REPS=0 SIZES= FSIZES=100000x1000000 bench/allocation/run.sh   # without glpsol
#
# Instances of BIG_ARCS arcs or more are run BIG_REPS times (default 3), the
# others REPS times.
#
# For each size it prints the median wall time, CPU time (user + system) and peak RSS
# (from /usr/bin/time -v "Maximum resident set size") of each solver, the
# ratios, and checks that all optima agree. Wall time is measured by bash
# around /usr/bin/time; CPU time, in hundredths of a second, comes from it
# (CPU ratios use 0.01 s for a zero denominator). Needs dimacs-solver (Debian
# liblemon-utils), glpsol (glpk-utils) and /usr/bin/time (time).
set -euo pipefail
cd "$(dirname "$0")/../.."

REPS=${REPS:-5}
GLPK_REPS=${GLPK_REPS:-3}
GLPK_TIMEOUT=${GLPK_TIMEOUT:-300}
LANES=${LANES:-10}
SEED=${SEED:-1}
SIZES=${SIZES-"200x2000 500x10000 1000x20000 2000x50000 5000x200000"}
FAMILIES=${FAMILIES-"netgen grid assign lowneg"}
FSIZES=${FSIZES:-"1000x10000 10000x100000 100000x1000000"}
BIG_ARCS=${BIG_ARCS:-1000000}
BIG_REPS=${BIG_REPS:-3}
WORK=${WORK:-$(mktemp -d /tmp/aidbridge-alloc.XXXXXX)}

for tool in dimacs-solver glpsol /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "missing $tool (Debian: liblemon-utils, glpk-utils, time)" >&2; exit 1; }
done

go build -o "$WORK/gen" ./bench/allocation/gen
go build -o "$WORK/aidbridge" ./cmd/aidbridge
echo "work dir: $WORK; go: $(go version | cut -d' ' -f3); cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "reps: $REPS ($BIG_REPS from $BIG_ARCS arcs; glpsol: at most $GLPK_REPS, timeout ${GLPK_TIMEOUT}s), lanes per need: $LANES, seed: $SEED"

# measure NAME CMD...: runs CMD under /usr/bin/time -v, appends
# "wall cpu rss_kb exit" to $WORK/NAME.times (cpu = user + system seconds).
measure() {
  local name=$1; shift
  local tv="$WORK/time.out"
  local t0=$EPOCHREALTIME
  set +e
  /usr/bin/time -v -o "$tv" "$@" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
  local rc=$?
  set -e
  local t1=$EPOCHREALTIME
  local wall user rss
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b-a}')
  user=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$tv")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
  echo "$wall $user $rss $rc" >>"$WORK/$name.times"
}

# median FILE COLUMN: the median of a column of a times file.
median() {
  sort -g -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {if (NR==0) {print "-"; exit} if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

printf '\n%-21s %7s %8s | %-19s | %-19s | %-21s | %-20s | %s\n' instance nodes arcs \
  "ours wall/cpu/RSS" "LEMON wall/cpu/RSS" "GLPK wall/cpu/RSS" "ours/LEMON wall,cpu,RSS" "GLPK/ours wall,cpu"
# bench NAME FILE: times the three solvers on FILE and prints one row.
bench() {
  local size=$1 file=$2
  read -r nodes arcs < <(awk '$1=="p" {print $3, $4; exit}' "$file")
  local reps=$REPS
  ((arcs < BIG_ARCS)) || reps=$BIG_REPS
  rm -f "$WORK"/{ours,lemon,glpk}.times "$WORK/glpk.sol"
  glpk_timed_out=""
  for ((r = 0; r < reps; r++)); do
    measure ours "$WORK/aidbridge" allocate --dimacs "$file"
    measure lemon dimacs-solver -long "$file"
    if ((r < GLPK_REPS)) && [ -z "$glpk_timed_out" ]; then
      measure glpk timeout "$GLPK_TIMEOUT" glpsol --mincost "$file" -w "$WORK/glpk.sol"
      if [ "$(tail -1 "$WORK/glpk.times" | cut -d' ' -f4)" = 124 ]; then
        glpk_timed_out="timed out after ${GLPK_TIMEOUT} s"
        sed -i '$d' "$WORK/glpk.times"
      fi
    fi
  done
  ours_cost=$(awk '$1=="s" {print $2; exit}' "$WORK/ours.stdout")
  lemon_cost=$(awk -F': ' '/Min flow cost/ {print $2}' "$WORK/lemon.stderr")
  ow=$(median "$WORK/ours.times" 1); oc=$(median "$WORK/ours.times" 2); or=$(median "$WORK/ours.times" 3)
  lw=$(median "$WORK/lemon.times" 1); lc=$(median "$WORK/lemon.times" 2); lr=$(median "$WORK/lemon.times" 3)
  cell() { printf '%.3fs/%.2fs/%dM' "$1" "$2" $(($3 / 1024)); }
  if ((GLPK_REPS == 0)); then
    glpk_cost="-"
    glpk_cell="not run"
    glpk_ratio="-"
  elif [ -z "$glpk_timed_out" ]; then
    glpk_cost=$(awk '$1=="s" && $2=="bas" {printf "%.0f", $7}' "$WORK/glpk.sol")
    gw=$(median "$WORK/glpk.times" 1); gc=$(median "$WORK/glpk.times" 2); gr=$(median "$WORK/glpk.times" 3)
    glpk_cell=$(cell "$gw" "$gc" "$gr")
    glpk_ratio=$(awk -v gw="$gw" -v ow="$ow" -v gc="$gc" -v oc="$oc" 'BEGIN {printf "%.0fx, %.0fx", gw/ow, gc/(oc > 0.01 ? oc : 0.01)}')
  else
    glpk_cost="-"
    glpk_cell=$glpk_timed_out
    glpk_ratio=$(awk -v g="$GLPK_TIMEOUT" -v o="$ow" 'BEGIN {printf ">%.0fx wall", g/o}')
  fi
  printf '%-21s %7s %8s | %-19s | %-19s | %-21s | %-20s | %s\n' "$size" "$nodes" "$arcs" \
    "$(cell "$ow" "$oc" "$or")" "$(cell "$lw" "$lc" "$lr")" "$glpk_cell" \
    "$(awk -v ow="$ow" -v lw="$lw" -v oc="$oc" -v lc="$lc" -v a="$or" -v b="$lr" 'BEGIN {printf "%.2f, %.2f, %.2f", ow/lw, oc/(lc > 0.01 ? lc : 0.01), a/b}')" \
    "$glpk_ratio"
  status="same optimum $ours_cost"
  if [ "$ours_cost" != "$lemon_cost" ] || { [ "$glpk_cost" != "-" ] && [ "$glpk_cost" != "$ours_cost" ]; }; then
    status="OPTIMA DIFFER: ours $ours_cost, LEMON $lemon_cost, GLPK $glpk_cost"
  fi
  echo "                      $status (LEMON $lemon_cost, GLPK $glpk_cost)"
}

for size in $SIZES; do
  file="$WORK/alloc-$size.min"
  [ -f "$file" ] || "$WORK/gen" -donors "${size%x*}" -needs "${size#*x}" -lanes "$LANES" -seed "$SEED" -o "$file"
  bench "transport $size" "$file"
done
for family in $FAMILIES; do
  for size in $FSIZES; do
    file="$WORK/$family-$size.min"
    [ -f "$file" ] || "$WORK/gen" -family "$family" -nodes "${size%x*}" -arcs "${size#*x}" -seed "$SEED" -o "$file"
    bench "$family $size" "$file"
  done
done
