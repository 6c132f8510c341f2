#!/usr/bin/env python3
"""Peer for `replication bench`: FAISS exact IndexFlatIP and a plain numpy sgemm on the same .npy data.

usage: faiss_flat_ip.py queries.npy gallery.npy k   (timing only: rows need not be normalised)
Needs Debian's python3-faiss and libopenblas0-pthread (apt-get install python3-faiss libopenblas0-pthread);
prints which BLAS and kernel it runs on when python3-threadpoolctl is installed.
"""
import sys, time
import numpy as np
import faiss

try:
    from threadpoolctl import threadpool_info
    for lib in threadpool_info():
        if lib.get("user_api") == "blas":
            print(f"peer BLAS: {lib.get('internal_api')} {lib.get('version')}, kernel {lib.get('architecture')}, "
                  f"{lib.get('num_threads')} threads ({lib.get('filepath')})")
except ImportError:
    print("peer BLAS: unknown (install python3-threadpoolctl to print it)")

q = np.load(sys.argv[1])
g = np.load(sys.argv[2], mmap_mode="r")
k = int(sys.argv[3])
nq, d = q.shape
ng = g.shape[0]
index = faiss.IndexFlatIP(d)
index.add(np.ascontiguousarray(g))
index.search(q[:16], k)  # warm-up
t = time.perf_counter()
index.search(q, k)
dt = time.perf_counter() - t
print(f"faiss IndexFlatIP {nq}x{ng}x{d} k={k}: {dt:.2f} s, {2 * nq * ng * d / dt / 1e9:.1f} GFLOP/s ({faiss.omp_get_max_threads()} threads)")
gg = np.asarray(g)
t = time.perf_counter()
q @ gg.T
dt = time.perf_counter() - t
print(f"numpy sgemm (scores only, no top-k): {2 * nq * ng * d / dt / 1e9:.1f} GFLOP/s")
