"""Shares of a folded-stack profile (inferno-collapse-perf) by mechanism and by leaf.

A sample counts towards the first `dugnad::mechanisms::…` or `Observer::observe_…` frame on its
stack (inclusive: what that mechanism calls counts with it), else towards the engine or "other"
(start-up, aggregation, output). Used by scripts/flamegraph.sh for docs/performance.md.
"""
import collections
import sys


def main(path, top=12):
    total = 0
    mechanism = collections.Counter()
    leaf = collections.Counter()
    for line in open(path):
        stack, n = line.rstrip().rsplit(" ", 1)
        n = int(n)
        total += n
        frames = stack.split(";")
        leaf[frames[-1]] += n
        key = "other (start-up, aggregation, output)"
        for f in frames:
            if f.startswith("dugnad::mechanisms::") or (
                f.startswith("dugnad::metrics::observe::Observer::")
                and f != "dugnad::metrics::observe::Observer::end_week"
            ):
                key = f
                break
            if f.startswith("dugnad::sim::engine::GroupRun") or f.endswith("Observer::end_week"):
                key = f + " (self)"
        mechanism[key] += n
    print("share of CPU time by mechanism (inclusive):")
    for k, v in mechanism.most_common(top):
        print(f"{100 * v / total:6.2f} %  {k}")
    print("by leaf (self):")
    for k, v in leaf.most_common(top):
        print(f"{100 * v / total:6.2f} %  {k}")


if __name__ == "__main__":
    main(sys.argv[1])
