"""The layers hold: no call cycles between files, no file over the limit.

Reads the object files of the current build of the core library (termijn),
termijnd and termijnctl, as CMake lists them in BUILD/structure-objects.txt
(tests/CMakeLists.txt writes it), and draws the graph "file A uses a symbol
that file B defines", resolving each reference as the linker would: a
program's own files first, then the library.  Any strongly connected
component of more than one file is a loop of files that call each other,
which style.md rules out: each module sits above the ones it uses, and a
lower one reaches up through a callback.  Also refuses any .c or .h file
under daemon/, include/ or tests/ longer than MAX_LINES.

Usage: layers.py BUILD_DIR [SOURCE_DIR] [--nm NM]
"""

import argparse
import collections
import os
import subprocess
import sys

# ---- allowlist ------------------------------------------------------------
# Issue 18 emptied it: no call cycle between files and no file over
# MAX_LINES is allowed.  A cycle listed here would pass when its files are
# exactly that set or part of it; keep it empty.
ALLOWED_CYCLES = []
ALLOWED_LONG = set()
# ---- end of the allowlist --------------------------------------------------

MAX_LINES = 1250
LENGTH_DIRS = ("daemon", "include", "tests")
MANIFEST = "structure-objects.txt"
LIBRARY = "termijn"
DEFINED = set("TDBRCGSVW")


def read_manifest(build):
    """The current build's objects: [(target, object path)]."""
    path = os.path.join(build, MANIFEST)
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}: configure the build with cmake first")
    objs = []
    for line in lines:
        if not line.strip():
            continue
        target, _, obj = line.partition("\t")
        objs.append((target, obj))
    if not objs:
        sys.exit(f"{path}: lists no object files")
    return objs


def source_of(build, src, target, obj):
    """The source an object was compiled from, relative to its tree."""
    rel = os.path.relpath(obj, os.path.join(build, "CMakeFiles",
                                            target + ".dir"))
    if rel.endswith(".o"):
        rel = rel[:-2]
    elif rel.endswith(".obj"):
        rel = rel[:-4]
    for tree in (src, build):
        if os.path.exists(os.path.join(tree, rel)):
            return rel, os.path.join(tree, rel)
    return rel, None


def symbols(nm, objs):
    """obj -> (global symbols it defines, those it uses): one run of nm."""
    out = subprocess.run([nm, "-P", "-A"] + objs, capture_output=True,
                         text=True, check=True).stdout
    syms = {obj: (set(), set()) for obj in objs}
    for line in out.splitlines():
        obj, _, rest = line.partition(": ")
        parts = rest.split()
        if obj not in syms or len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == "U":
            syms[obj][1].add(name)
        elif kind in DEFINED:
            syms[obj][0].add(name)
    return syms


def graph(build, src, nm):
    """file -> {file: [symbols]}, and the problems found reading it."""
    problems = []
    built = []
    for target, obj in read_manifest(build):
        label, path = source_of(build, src, target, obj)
        if not os.path.exists(obj):
            problems.append(f"{obj}: not built: build before running tests")
            continue
        if path is not None and os.path.getmtime(path) > \
                os.path.getmtime(obj):
            problems.append(f"{label}: changed since it was compiled: build "
                            "before running tests")
        built.append((target, obj, label))
    if not built:
        return {}, {}, problems
    syms = symbols(nm, [obj for _, obj, _ in built])
    files = {}                  # label -> (target, defs, uses)
    for target, obj, label in built:
        files[label] = (target,) + syms[obj]
    owners = collections.defaultdict(dict)      # target -> symbol -> label
    for label, (target, defs, _) in files.items():
        for s in defs:
            owners[target].setdefault(s, label)
    edges = collections.defaultdict(lambda: collections.defaultdict(list))
    for label, (target, _, uses) in files.items():
        order = [target] if target == LIBRARY else [target, LIBRARY]
        for s in sorted(uses):
            for t in order:
                owner = owners[t].get(s)
                if owner is not None:
                    if owner != label:
                        edges[label][owner].append(s)
                    break
    return files, edges, problems


def components(nodes, edges):
    """The strongly connected components of more than one node (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(max(1000, 4 * len(nodes)))

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on.discard(w)
                comp.add(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(comp)

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return found


def long_files(src):
    """The .c and .h files under LENGTH_DIRS, with their lengths."""
    for top in LENGTH_DIRS:
        for root, dirs, names in os.walk(os.path.join(src, top)):
            dirs.sort()
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(root, name)
                with open(path, "rb") as f:
                    n = f.read().count(b"\n")
                if n > MAX_LINES:
                    yield os.path.relpath(path, src), n


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build")
    ap.add_argument("source", nargs="?",
                    default=os.path.dirname(os.path.dirname(here)))
    ap.add_argument("--nm", default="nm")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    src = os.path.abspath(args.source)

    files, edges, failures = graph(build, src, args.nm)
    seen = set()
    for comp in components(files, edges):
        seen.update(i for i, a in enumerate(ALLOWED_CYCLES) if comp & a)
        if any(comp <= a for a in ALLOWED_CYCLES):
            continue
        lines = [f"call cycle between {len(comp)} files: "
                 + ", ".join(sorted(comp))]
        for a in sorted(comp):
            for b in sorted(edges[a]):
                if b in comp:
                    syms = edges[a][b]
                    more = f", +{len(syms) - 3}" if len(syms) > 3 else ""
                    lines.append(f"    {a} -> {b} ({', '.join(syms[:3])}"
                                 f"{more})")
        failures.append("\n".join(lines))
    for i, a in enumerate(ALLOWED_CYCLES):
        if i not in seen:
            print("note: an allowed cycle is gone; take it out of the "
                  "allowlist: " + ", ".join(sorted(a)))

    long_seen = set()
    for path, n in long_files(src):
        if path in ALLOWED_LONG:
            long_seen.add(path)
            continue
        failures.append(f"{path}: {n} lines, over the limit of {MAX_LINES}:"
                        " split it by concern")
    for path in sorted(ALLOWED_LONG - long_seen):
        print(f"note: {path} is no longer over {MAX_LINES} lines; take it "
              "out of the allowlist")

    for f in failures:
        print(f"FAIL: {f}")
    print(f"{len(files)} object files, {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
