#!/bin/sh
# check-layers.sh — no include cycle between engine modules (`make check-layers`, ctest layers.*).
#
# A module is engine/<folder>/<name>.c with its <name>.h (one node), together with the
# <name>_<part>.c/.h files beside it when <name>.h exists (sandbox_lua.h, storage_*.c, cli_*.c);
# a .c or .h file of any other name is a module of its own. An edge is a line `#include "x.h"`
# naming another module's header. Every strongly connected group of modules is
# printed with one cycle through it and the include lines that make it. The check fails on a
# cycle that is not in tests/layers-known-cycles.txt, and on a listed cycle that no longer exists
# (so the list only ever shrinks). With --graph it prints the edges, "from -> to  file:line".
#
# usage: tests/check-layers.sh [--graph] [PROJECT_DIR]
set -eu

graph=0
if [ "${1:-}" = "--graph" ]; then
  graph=1
  shift
fi
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
known=tests/layers-known-cycles.txt
[ -f "$known" ] || { echo "check-layers: $known is missing" >&2; exit 2; }

# module_of NAME: x for x.c and x.h; x for x_part.c and x_part.h when x.h exists (a second or
# internal header, or one part of a module split over files: sandbox_lua.h, storage_*.c, cli_*.c)
module_of() {
  prefix=${1%%_*}
  if [ "$prefix" != "$1" ] && [ -n "$(ls engine/*/"$prefix".h 2>/dev/null)" ]; then
    echo "$prefix"
  else
    echo "$1"
  fi
}

# the modules
modules=$(for f in engine/*/*.c engine/*/*.h; do
  module_of "$(basename "$f" | sed 's/\.[ch]$//')"
done | sort -u)
[ -n "$modules" ] || { echo "check-layers: no engine/*/*.[ch] under $root" >&2; exit 2; }

# edges "from to file:line", for includes of another module's header
edges=$(for f in engine/*/*.c engine/*/*.h; do
  from=$(module_of "$(basename "$f" | sed 's/\.[ch]$//')")
  grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*\.h"' "$f" |
    sed 's/^\([0-9]*\):[^"]*"\([^"]*\)\.h".*/\1 \2/' |
    while read -r line header; do
      [ -n "$(ls engine/*/"$header".h 2>/dev/null)" ] || continue
      to=$(module_of "$header")
      if [ "$to" != "$from" ]; then echo "$from $to $f:$line"; fi
    done
done)

if [ "$graph" -eq 1 ]; then
  printf '%s\n' "$edges" | awk 'NF { printf "%s -> %s  %s\n", $1, $2, $3 }'
  exit 0
fi

{
  printf '%s\n' "$modules" | sed 's/^/M /'
  printf '%s\n' "$edges" | awk 'NF { print "E", $0 }'
  grep -v '^[[:space:]]*\(#\|$\)' "$known" | sed 's/^/K /'
} | awk -v known="$known" '
# Tarjan: strongly connected components; locals after the extra spaces
function connect(v,    i, w, member, n) {
  index_of[v] = next_index; low[v] = next_index; next_index++
  stack[++sp] = v; on_stack[v] = 1
  for (i = 1; i <= outdeg[v]; i++) {
    w = out[v, i]
    if (!(w in index_of)) {
      connect(w)
      if (low[w] < low[v]) low[v] = low[w]
    } else if (on_stack[w] && index_of[w] < low[v]) {
      low[v] = index_of[w]
    }
  }
  if (low[v] == index_of[v]) {
    n = 0
    do {
      member = stack[sp--]; on_stack[member] = 0
      n++; scc_member[n_scc + 1, n] = member; scc_of[member] = n_scc + 1
    } while (member != v)
    n_scc++; scc_size[n_scc] = n
  }
}
# the members of a group, sorted, space-separated: how the known list names a cycle
function key(list,    n, a, i, j, t, s) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++)
    for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
  s = ""
  for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") a[i]
  return s
}
# one shortest cycle from start back to it inside its group (breadth first), with include lines
function cycle(start, g,    head, tail, q, v, i, w, seen, prev, path, u) {
  head = 1; tail = 0
  for (i = 1; i <= outdeg[start]; i++) {
    w = out[start, i]
    if (scc_of[w] == g && !(w in seen)) { seen[w] = 1; prev[w] = start; q[++tail] = w }
  }
  while (head <= tail) {
    v = q[head++]
    if (v == start) break
    for (i = 1; i <= outdeg[v]; i++) {
      w = out[v, i]
      if (scc_of[w] == g && !(w in seen)) { seen[w] = 1; prev[w] = v; q[++tail] = w }
    }
  }
  path = ""; v = start
  do {
    u = prev[v]
    path = "    " u " -> " v "  (" where[u, v] ")\n" path
    v = u
  } while (v != start)
  return path
}
# the includes inside group g that the printed cycle does not show
function others(g, path,    i, j, v, w, s) {
  s = ""
  for (i = 1; i <= scc_size[g]; i++) {
    v = scc_member[g, i]
    for (j = 1; j <= outdeg[v]; j++) {
      w = out[v, j]
      if (scc_of[w] == g && index(path, "    " v " -> " w "  (") == 0)
        s = s "    also " v " -> " w "  (" where[v, w] ")\n"
    }
  }
  return s
}
$1 == "M" { node[++n_nodes] = $2 }
$1 == "E" {
  if (!(($2, $3) in where)) { out[$2, ++outdeg[$2]] = $3; n_edges++; where[$2, $3] = $4 }
}
$1 == "K" { $1 = ""; k = key(substr($0, 2)); listed[k] = 1; listed_order[++n_listed] = k }
END {
  for (i = 1; i <= n_nodes; i++) if (!(node[i] in index_of)) connect(node[i])
  bad = 0; found = 0
  for (g = 1; g <= n_scc; g++) {
    if (scc_size[g] < 2) continue
    members = ""
    for (i = 1; i <= scc_size[g]; i++) members = members (i > 1 ? " " : "") scc_member[g, i]
    k = key(members); split(k, first, " ")
    found++; present[k] = 1
    if (k in listed) {
      c = cycle(first[1], g)
      printf "known cycle (%s): %s\n%s%s", known, k, c, others(g, c)
    } else {
      c = cycle(first[1], g)
      printf "NEW CYCLE: %s\n%s%s", k, c, others(g, c)
      bad = 1
    }
  }
  for (i = 1; i <= n_listed; i++) {
    if (!(listed_order[i] in present)) {
      printf "GONE: %s is listed in %s but is no longer a cycle: remove it from the list\n", listed_order[i], known
      bad = 1
    }
  }
  printf "%d modules, %d includes between them, %d cycle%s (%d known)\n", n_nodes, n_edges, found, found == 1 ? "" : "s", n_listed
  exit bad
}'
