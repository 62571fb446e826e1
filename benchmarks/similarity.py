#!/usr/bin/env python
"""Time of finding similar texts: N essays of W words (generated Vietnamese syllables,
some of them copying a passage of another), half of them a round's items and half what
they are compared with (other contests' entries, ideas); prints the seconds and how many planted copies were found.

    .venv/bin/python -m benchmarks.similarity [--essays 10000] [--words 1000]
"""

import argparse
import random
import time

SYLLABLES = (
    "hồ tây quận phường người dân đô thị văn minh hiện đại xanh sạch đẹp giao thông đi bộ ven hồ cây xanh "
    "du lịch văn hóa lễ hội làng nghề đào nhật tân quảng an thụy khuê yên phụ bưởi xuân la phú thượng "
    "trường học bệnh viện chợ công viên nước thải rác thải nhà ở dịch vụ công trực tuyến cán bộ trách nhiệm "
    "kỷ cương kỷ luật ý tưởng sáng kiến đề xuất giải pháp nâng cao hiệu quả quản lý khai thác bảo tồn phát triển"
).split()


def main():
    from contest.judging.similarity import similar_pairs

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--essays", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=1_000)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    essays = [" ".join(rng.choices(SYLLABLES, k=args.words)) for _ in range(args.essays)]
    planted = set()
    for _ in range(args.copies):
        source, copy = rng.sample(range(args.essays), 2)
        words = essays[copy].split()
        passage = essays[source].split()[: args.words * 6 // 10]
        essays[copy] = " ".join(passage + words[len(passage) :])
        planted.add(frozenset((source, copy)))
    print(f"{args.essays} essays × {args.words} words generated in {time.perf_counter() - started:.1f} s")
    half = args.essays // 2
    texts = dict(enumerate(essays[:half]))
    against = {n: essays[n] for n in range(half, args.essays)}
    started = time.perf_counter()
    pairs = similar_pairs(texts, against=against)
    seconds = time.perf_counter() - started
    found = {frozenset((p.a, p.b)) for p in pairs}
    reachable = {pair for pair in planted if min(pair) < half}  # within `against` is not compared
    print(
        f"similar texts: {seconds:.1f} s; {len(pairs)} pairs reported, "
        f"{len(found & reachable)} of {len(reachable)} planted copies found"
    )


if __name__ == "__main__":
    main()
