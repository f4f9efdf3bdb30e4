"""``python -m landscape fit MODEL_ID``: memory breakdown, verdict, longest context, decode speed."""
from __future__ import annotations

import json
import sys

from landscape import fit


def register(sub) -> None:
    p = sub.add_parser("fit", help="will MODEL_ID run on this hardware? (estimates, assumptions listed)")
    p.add_argument("model_id", help="registry id, e.g. meta-llama/Llama-4-Scout-17B-16E-Instruct")
    p.add_argument("--hardware", default="h100", help=f"preset ({', '.join(fit.hardware_presets())}) or custom")
    p.add_argument("--memory-gib", type=float, help="memory per device in GiB for --hardware custom")
    p.add_argument("--gpus", type=int, help="number of devices (default: the preset's, 8 for node presets)")
    p.add_argument("--quant", default="Q4_K_M", choices=list(fit.quant_formats()))
    p.add_argument("--context", default="32768", help="tokens, 8K/32K/128K, or max (the advertised context)")
    p.add_argument("--kv-dtype", default="bf16", choices=list(fit.KV_DTYPES))
    p.add_argument("--runtime", default="llama.cpp", choices=list(fit.RUNTIMES))
    p.add_argument("--seqs", type=int, default=1, help="concurrent sequences sharing the KV cache")
    p.add_argument("--json", action="store_true", help="one JSON object instead of text")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        r = fit.fit_model(args.model_id, args.hardware, args.gpus, args.quant, args.context, args.kv_dtype,
                          args.runtime, seqs=args.seqs, custom_gib=args.memory_gib)
    except KeyError:
        print(f"error: unknown model id {args.model_id!r} (see `python -m landscape models`)", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    d = r.as_dict()
    d.update({"hardware": args.hardware, "gpus": args.gpus or fit.resolve_hardware(args.hardware, args.memory_gib).devices,
              "quant": args.quant, "kv_dtype": args.kv_dtype, "runtime": args.runtime, "units": "GiB (2^30 bytes)",
              "estimate": True})
    if args.json:
        json.dump(d, sys.stdout, indent=2, default=str)
        print()
        return 0

    def g(v):
        return "unknown" if v is None else f"{v:.2f} GiB"
    print(f"{r.name} on {d['gpus']}x {args.hardware}, {args.quant}, context {r.context:,}, KV {args.kv_dtype}, {args.runtime}")
    print(f"  weights   {g(r.weights_gib)}\n  KV cache  {g(r.kv_cache_gib)}\n  overhead  {g(r.overhead_gib)}")
    print(f"  total     {g(r.total_gib)} of {g(r.usable_gib)} usable")
    print(f"  verdict   {r.verdict}")
    print(f"  longest context that fits: {'unknown' if r.max_context is None else f'{r.max_context:,} tokens'}")
    tps = r.decode_tokens_per_s
    print(f"  decode    {'unknown' if tps is None else f'~{tps:.0f} tokens/s'} (estimate)")
    print("assumptions:")
    for a in r.assumptions:
        print(f"  - {a}")
    return 0
