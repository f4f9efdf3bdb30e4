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
    p.add_argument("--bandwidth-gbs", type=float, help="memory bandwidth per device in GB/s for --hardware custom "
                   "(without it: no speed estimate)")
    p.add_argument("--tflops", type=float, help="dense BF16 TFLOPs per device for --hardware custom "
                   "(without it: no request time)")
    p.add_argument("--gpus", type=int, help="number of devices (default: the preset's, 8 for node presets)")
    p.add_argument("--quant", default="Q4_K_M", choices=list(fit.quant_formats()))
    p.add_argument("--context", default="32768", help="tokens, 8K/32K/128K, or max (the advertised context)")
    p.add_argument("--kv-dtype", default="bf16", choices=list(fit.KV_DTYPES))
    p.add_argument("--runtime", default="llama.cpp", choices=list(fit.RUNTIMES))
    p.add_argument("--seqs", type=int, default=1, help="concurrent sequences sharing the KV cache")
    p.add_argument("--prompt-tokens", type=int, help="with --answer-tokens: estimate one request's time")
    p.add_argument("--answer-tokens", type=int, help="tokens generated for the request-time estimate")
    p.add_argument("--json", action="store_true", help="one JSON object instead of text")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        if (args.prompt_tokens is None) != (args.answer_tokens is None):
            raise ValueError("--prompt-tokens and --answer-tokens go together")
        if args.hardware != "custom" and (args.memory_gib or args.bandwidth_gbs or args.tflops):
            raise ValueError("--memory-gib/--bandwidth-gbs/--tflops describe --hardware custom")
        r = fit.fit_model(args.model_id, args.hardware, args.gpus, args.quant, args.context, args.kv_dtype,
                          args.runtime, seqs=args.seqs, custom_gib=args.memory_gib,
                          custom_bandwidth_gbs=args.bandwidth_gbs, custom_tflops=args.tflops,
                          prompt_tokens=args.prompt_tokens, answer_tokens=args.answer_tokens)
    except KeyError:
        print(f"error: unknown model id {args.model_id!r} (see `python -m landscape models`)", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    d = r.as_dict()
    d.update({"hardware": args.hardware,
              "gpus": args.gpus or fit.resolve_hardware(args.hardware, args.memory_gib, args.bandwidth_gbs, args.tflops).devices,
              "quant": args.quant, "kv_dtype": args.kv_dtype, "runtime": args.runtime, "units": "GiB (2^30 bytes)",
              "estimate": True})
    if args.json:
        json.dump(d, sys.stdout, indent=2, default=str)
        print()
        return 0

    def g(v):
        return "unknown" if v is None else f"{v:.2f} GiB"

    def rng(lo, hi, fmt):
        return "" if lo is None or hi is None else f" (range {fmt.format(lo)}-{fmt.format(hi)}, p10-p90)"
    print(f"{r.name} on {d['gpus']}x {args.hardware}, {args.quant}, context {r.context:,}, KV {args.kv_dtype}, {args.runtime}")
    print(f"  weights   {g(r.weights_gib)}\n  KV cache  {g(r.kv_cache_gib)}\n  overhead  {g(r.overhead_gib)}")
    print(f"  total     {g(r.total_gib)}{rng(r.total_gib_low, r.total_gib_high, '{:.2f}')} of {g(r.usable_gib)} usable")
    print(f"  verdict   {r.verdict}")
    if r.max_context is None:
        ctx = "does not fit at any context" if r.status == "no" else "unknown"
    else:
        ctx = f"{r.max_context:,} tokens" + (f" ({r.max_context_low:,} if memory is at the high end)"
                                             if r.max_context_low and r.max_context_low != r.max_context else "")
    print(f"  longest context that fits: {ctx}")
    tps = r.decode_tokens_per_s
    if tps is None:
        speed = "none (does not fit)" if r.status == "no" else "unknown"
    else:
        speed = f"~{tps:.0f} tokens/s{rng(r.decode_tokens_per_s_low, r.decode_tokens_per_s_high, '{:.0f}')}"
    print(f"  decode    {speed} (estimate)")
    if r.request_seconds is not None:
        print(f"  request   ~{r.request_seconds:.1f} s for {r.prompt_tokens:,} prompt + {r.answer_tokens:,} answer tokens"
              f"{rng(r.request_seconds_low, r.request_seconds_high, '{:.1f}')}")
    print("assumptions:")
    for a in r.assumptions:
        print(f"  - {a}")
    return 0
