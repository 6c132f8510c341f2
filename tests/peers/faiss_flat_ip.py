#!/usr/bin/env python3
"""Peer for `replication bench`: FAISS exact IndexFlatIP and a plain numpy sgemm on the same .npy data.

usage: faiss_flat_ip.py queries.npy gallery.npy k   (rows must already be L2-normalised)
Needs Debian's python3-faiss and libopenblas0-pthread (apt-get install python3-faiss libopenblas0-pthread).
"""
import sys, time
import numpy as np
import faiss

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
