"""Identity: every distinct name of our families in the mirror's eval sources, mapped by hand.

The dict below was generated with ``python -m tools.scan_eval_names ../shared/mirror`` and then
checked by hand, name by name. ``None`` means the name is not one of our registered checkpoints
(an older generation such as Llama 2/3.0, Qwen1.5/2, DeepSeek V2, Gemma 1, Gemini 1.x; a
fine-tune or derivative such as Nemotron, Hermes, Tulu; a different size or variant we do not
register such as Qwen2.5-Coder-7B, Qwen2.5-VL, Qwen3-Next; a future model; an Aider
"A + B" architect pairing, which is a system, not a model). Such names go to ``unmatched`` and are
shown on the Data quality page. Checkpoints that must never merge: experimental vs released
Maverick, R1 distills vs R1 vs their bases, V3 vs V3-0324 vs V3.1 vs V3.2-Exp, R1 vs R1-0528,
Qwen3 vs its 2507 updates, QwQ-32B vs QwQ-32B-Preview, Gemini previews/experiments vs GA,
Gemma 3 vs 3n, base (pre-trained) vs instruct checkpoints, an official repo vs a third-party repo of the
same name (Open LLM Leaderboard names from any owner are listed when their name without the owner
would be placed on one of our models).
"""
import json
import subprocess
import sys

import pytest

from etl.matcher import Matcher
from etl.registry import load_registry
from tests.conftest import MIRROR, ROOT

EXPECTED = {
    'braindao/DeepSeek-R1-Distill-Qwen-14B': None,  # open_llm_leaderboard: braindao's fine-tune, not DeepSeek's
    'braindao/DeepSeek-R1-Distill-Qwen-7B': None,  # open_llm_leaderboard: braindao's fine-tune
    'braindao/Qwen2.5-14B': None,  # open_llm_leaderboard: braindao's copy/fine-tune
    'braindao/Qwen2.5-14B-Instruct': None,  # open_llm_leaderboard: braindao's fine-tune
    'jebish7/gemma-2-2b-it': None,  # open_llm_leaderboard: jebish7's fine-tune (12.36 vs Google's 17.05)
    'jebish7/gemma-2-9b-it': None,  # open_llm_leaderboard: jebish7's fine-tune
    'jebish7/Llama-3.1-8B-Instruct': None,  # open_llm_leaderboard: jebish7's fine-tune
    'AI-Sweden-Models/Llama-3-8B-instruct': None,  # open_llm_leaderboard: AI Sweden's fine-tune, not Meta's
    'unsloth/Llama-3.2-1B-Instruct': None,  # open_llm_leaderboard: unsloth re-upload without a quantisation format (own chat template)
    'chutes/DeepSeek-R1-0528': 'deepseek-ai/DeepSeek-R1-0528',  # epoch
    'chutes/DeepSeek-V3-0324': 'deepseek-ai/DeepSeek-V3-0324',  # epoch
    'chutes/Gemma-3-27b-It': 'google/gemma-3-27b-it',  # epoch
    'chutes/Llama-4-Maverick-17B-128E-Instruct': 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',  # epoch
    'chutes/Llama-4-Scout-17B-16E Instruct': 'meta-llama/Llama-4-Scout-17B-16E-Instruct',  # epoch
    'chutes/Qwen3-14B': 'Qwen/Qwen3-14B',  # epoch
    'chutes/Qwen3-235B-A22B': 'Qwen/Qwen3-235B-A22B',  # epoch
    'chutes/Qwen3-235B-A22B-Thinking-2507': 'Qwen/Qwen3-235B-A22B-Thinking-2507',  # epoch
    'chutes/Qwen3-30B-A3B': 'Qwen/Qwen3-30B-A3B',  # epoch
    'chutes/Qwen3-32B': 'Qwen/Qwen3-32B',  # epoch
    'chutes/Qwen3-8B': 'Qwen/Qwen3-8B',  # epoch
    'chutes/Qwen3-Next-80B-A3B-Instruct': 'Qwen/Qwen3-Next-80B-A3B-Instruct',  # epoch
    'chutes/QwQ-32B': 'Qwen/QwQ-32B',  # epoch
    'codegemma-2b': None,  # evalplus
    'codegemma-7b': None,  # evalplus
    'codegemma-7b-it': None,  # evalplus
    'CodeLlama-13B': None,  # evalplus
    'CodeLlama-34B': None,  # evalplus
    'CodeLlama-34B-instruct': None,  # lmarena
    'CodeLlama-70B': None,  # evalplus
    'CodeLlama-70B-instruct': None,  # lmarena
    'CodeLlama-70B-Instruct': None,  # evalplus
    'CodeLlama-7B': None,  # evalplus
    'CodeQwen1.5-7B': None,  # epoch,evalplus
    'CodeQwen1.5-7B-Chat': None,  # evalplus
    'codeqwen:7b-chat-v1.5-q8_0': None,  # aider
    'CogVLM2-llama3-chat-19b': None,  # lmarena
    'deepinfra/Qwen3-Next-80B-A3B-Instruct': 'Qwen/Qwen3-Next-80B-A3B-Instruct',  # epoch
    'DeepSeek Chat V2 0628': None,  # aider
    'DeepSeek Chat V2.5': 'deepseek-ai/DeepSeek-V2.5',  # aider
    'DeepSeek Chat V3 (prev)': 'deepseek-ai/DeepSeek-V3',  # aider
    'DeepSeek Coder V2 0724': 'deepseek-ai/DeepSeek-Coder-V2-Instruct-0724',  # aider
    'DeepSeek LLM Chat (67B)': None,  # epoch
    'DeepSeek R1': 'deepseek-ai/DeepSeek-R1',  # aider
    'DeepSeek R1 (0528)': 'deepseek-ai/DeepSeek-R1-0528',  # aider
    'DeepSeek R1 + claude-3-5-sonnet-20241022': None,  # aider
    'DeepSeek V2.5': 'deepseek-ai/DeepSeek-V2.5',  # aider
    'DeepSeek V3 (0324)': 'deepseek-ai/DeepSeek-V3-0324',  # aider
    'deepseek-ai/deepseek-llm-67b-chat': None,  # open_llm_leaderboard
    'deepseek-ai/deepseek-llm-7b-base': None,  # open_llm_leaderboard
    'deepseek-ai/deepseek-llm-7b-chat': None,  # open_llm_leaderboard
    'deepseek-ai/deepseek-moe-16b-base': None,  # open_llm_leaderboard
    'deepseek-ai/deepseek-moe-16b-chat': None,  # open_llm_leaderboard
    'deepseek-ai/DeepSeek-R1': 'deepseek-ai/DeepSeek-R1',  # vendor_claims
    'deepseek-ai/DeepSeek-R1-Distill-Llama-70B': 'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',  # open_llm_leaderboard,vendor_claims
    'deepseek-ai/DeepSeek-R1-Distill-Llama-8B': 'deepseek-ai/DeepSeek-R1-Distill-Llama-8B',  # open_llm_leaderboard,vendor_claims
    'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B': 'deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B',  # open_llm_leaderboard,vendor_claims
    'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B': 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B',  # open_llm_leaderboard,vendor_claims
    'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B': 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',  # open_llm_leaderboard,vendor_claims
    'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B': 'deepseek-ai/DeepSeek-R1-Distill-Qwen-7B',  # open_llm_leaderboard,vendor_claims
    'deepseek-ai/DeepSeek-V3': 'deepseek-ai/DeepSeek-V3',  # vendor_claims
    'deepseek-ai/DeepSeek-V3-Base': 'deepseek-ai/DeepSeek-V3-Base',  # vendor_claims
    'deepseek-coder-1.3b-base': None,  # epoch
    'DeepSeek-Coder-1.3B-base': None,  # evalplus
    'DeepSeek-Coder-1.3B-instruct': None,  # evalplus
    'deepseek-coder-33b-base': None,  # epoch
    'DeepSeek-Coder-33B-base': None,  # evalplus
    'DeepSeek-Coder-33B-instruct': None,  # evalplus
    'deepseek-coder-6.7b-base': None,  # epoch
    'DeepSeek-Coder-6.7B-base': None,  # evalplus
    'DeepSeek-Coder-6.7B-instruct': None,  # evalplus
    'DeepSeek-Coder-7B-instruct-v1.5': None,  # evalplus
    'deepseek-coder-v2': None,  # livebench
    'Deepseek-Coder-v2-0724': 'deepseek-ai/DeepSeek-Coder-V2-Instruct-0724',  # lmarena
    'DeepSeek-Coder-V2-Base': 'deepseek-ai/DeepSeek-Coder-V2-Base',  # epoch
    'DeepSeek-Coder-V2-Instruct': 'deepseek-ai/DeepSeek-Coder-V2-Instruct',  # epoch,evalplus,lmarena
    'DeepSeek-Coder-V2-Lite-Base': 'deepseek-ai/DeepSeek-Coder-V2-Lite-Base',  # epoch
    'deepseek-coder-v2-lite-instruct': 'deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct',  # livebench
    'DeepSeek-Coder-V2-Lite-Instruct': 'deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct',  # epoch
    'DeepSeek-LLM-67B-Chat': None,  # lmarena
    'deepseek-llm-67b-chat': None,  # epoch
    'DeepSeek-R1': 'deepseek-ai/DeepSeek-R1',  # epoch,lmarena
    'deepseek-r1': 'deepseek-ai/DeepSeek-R1',  # livebench
    'DeepSeek-R1-0528': 'deepseek-ai/DeepSeek-R1-0528',  # epoch,lmarena
    'deepseek-r1-0528': 'deepseek-ai/DeepSeek-R1-0528',  # livebench
    'deepseek-r1-distill-llama-70b': 'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',  # livebench
    'DeepSeek-R1-Distill-Llama-70B': 'deepseek-ai/DeepSeek-R1-Distill-Llama-70B',  # epoch
    'DeepSeek-R1-Distill-Qwen-14B': 'deepseek-ai/DeepSeek-R1-Distill-Qwen-14B',  # epoch
    'deepseek-r1-distill-qwen-32b': 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',  # livebench
    'DeepSeek-R1-Distill-Qwen-32B': 'deepseek-ai/DeepSeek-R1-Distill-Qwen-32B',  # epoch
    'DeepSeek-V2': None,  # epoch
    'Deepseek-v2-API-0628': None,  # lmarena
    'deepseek-v2-lite-chat': None,  # livebench
    'Deepseek-v2.5': 'deepseek-ai/DeepSeek-V2.5',  # lmarena
    'deepseek-v2.5': 'deepseek-ai/DeepSeek-V2.5',  # livebench
    'DeepSeek-V2.5': 'deepseek-ai/DeepSeek-V2.5',  # epoch
    'DeepSeek-V2.5 (Nov 2024)': 'deepseek-ai/DeepSeek-V2.5',  # evalplus
    'DeepSeek-V2.5-1210': 'deepseek-ai/DeepSeek-V2.5-1210',  # aider
    'Deepseek-v2.5-1210': 'deepseek-ai/DeepSeek-V2.5-1210',  # lmarena
    'DeepSeek-V3': 'deepseek-ai/DeepSeek-V3',  # epoch,lmarena
    'deepseek-v3': 'deepseek-ai/DeepSeek-V3',  # livebench
    'DeepSeek-V3 (Nov 2024)': 'deepseek-ai/DeepSeek-V3',  # evalplus
    'DeepSeek-V3-0324': 'deepseek-ai/DeepSeek-V3-0324',  # epoch,lmarena
    'deepseek-v3-0324': 'deepseek-ai/DeepSeek-V3-0324',  # livebench
    'DeepSeek-V3-Base': 'deepseek-ai/DeepSeek-V3-Base',  # epoch
    'deepseek-v3.1': 'deepseek-ai/DeepSeek-V3.1',  # livebench
    'DeepSeek-V3.1': 'deepseek-ai/DeepSeek-V3.1',  # epoch
    'deepseek-v3.1-terminus': 'deepseek-ai/DeepSeek-V3.1-Terminus',  # livebench
    'deepseek-v3.1-terminus-thinking': 'deepseek-ai/DeepSeek-V3.1-Terminus',  # livebench
    'deepseek-v3.1-thinking': 'deepseek-ai/DeepSeek-V3.1',  # livebench
    'DeepSeek-V3.1_thinking': 'deepseek-ai/DeepSeek-V3.1',  # epoch
    'deepseek-v3.2': 'deepseek-ai/DeepSeek-V3.2',  # livebench
    'deepseek-v3.2-exp': 'deepseek-ai/DeepSeek-V3.2-Exp',  # livebench
    'DeepSeek-V3.2-Exp': 'deepseek-ai/DeepSeek-V3.2-Exp',  # epoch
    'DeepSeek-V3.2-Exp (Chat)': 'deepseek-ai/DeepSeek-V3.2-Exp',  # aider
    'DeepSeek-V3.2-Exp (Reasoner)': 'deepseek-ai/DeepSeek-V3.2-Exp',  # aider
    'deepseek-v3.2-exp-thinking': 'deepseek-ai/DeepSeek-V3.2-Exp',  # livebench
    'DeepSeek-V3.2-Exp_thinking': 'deepseek-ai/DeepSeek-V3.2-Exp',  # epoch
    'deepseek-v3.2-speciale': 'deepseek-ai/DeepSeek-V3.2-Speciale',  # livebench
    'deepseek-v3.2-thinking': 'deepseek-ai/DeepSeek-V3.2',  # livebench
    'deepseek-v4-flash': 'deepseek-ai/DeepSeek-V4-Flash',  # livebench
    'deepseek-v4-pro': 'deepseek-ai/DeepSeek-V4-Pro',  # livebench
    'dracarys-llama-3.1-70b-instruct': None,  # livebench
    'dracarys2-llama-3.1-70b-instruct': None,  # livebench
    'Dracarys2-Llama-3.1-70B-Instruct': None,  # epoch
    'Gemini 1.5 Flash 002': 'google/gemini-1.5-flash-002',  # evalplus
    'Gemini 1.5 Pro (0409 preview)': 'google/gemini-1.5-pro-preview-0409',  # epoch
    'Gemini 1.5 Pro 002': 'google/gemini-1.5-pro-002',  # evalplus
    'Gemini 2.0 Pro exp-02-05': 'google/gemini-2.0-pro-exp-02-05',  # aider
    'Gemini 2.5 Pro Preview 03-25': 'google/gemini-2.5-pro-preview-03-25',  # aider
    'Gemini 2.5 Pro Preview 05-06': 'google/gemini-2.5-pro-preview-05-06',  # aider
    'Gemini Advanced App (2024-05-14)': None,  # lmarena
    'Gemini App (2024-01-24)': None,  # lmarena
    'Gemini Pro': None,  # lmarena
    'Gemini Pro 1.0': None,  # evalplus
    'Gemini Pro 1.5': None,  # evalplus
    'Gemini-1.0-Pro-001': None,  # lmarena
    'gemini-1.0-pro-001': None,  # epoch
    'gemini-1.0-pro-vision': None,  # epoch
    'Gemini-1.5-Flash-001': 'google/gemini-1.5-flash-001',  # lmarena
    'gemini-1.5-flash-001': 'google/gemini-1.5-flash-001',  # epoch
    'Gemini-1.5-Flash-002': 'google/gemini-1.5-flash-002',  # lmarena
    'gemini-1.5-flash-002': 'google/gemini-1.5-flash-002',  # epoch,livebench
    'gemini-1.5-flash-002 (0924)': 'google/gemini-1.5-flash-002',  # aider
    'gemini-1.5-flash-0514': 'google/gemini-1.5-flash-preview-0514',  # epoch
    'Gemini-1.5-Flash-8B-001': 'google/gemini-1.5-flash-8b-001',  # lmarena
    'gemini-1.5-flash-8b-001': 'google/gemini-1.5-flash-8b-001',  # epoch,livebench
    'gemini-1.5-flash-8b-exp-0827': 'google/gemini-1.5-flash-8b-exp-0827',  # aider,livebench
    'Gemini-1.5-Flash-8B-Exp-0827': 'google/gemini-1.5-flash-8b-exp-0827',  # lmarena
    'gemini-1.5-flash-8b-exp-0924': 'google/gemini-1.5-flash-8b-exp-0924',  # aider
    'gemini-1.5-flash-api-0514': 'google/gemini-1.5-flash-preview-0514',  # livebench
    'gemini-1.5-flash-exp-0827': 'google/gemini-1.5-flash-exp-0827',  # aider,livebench
    'Gemini-1.5-Flash-Exp-0827': 'google/gemini-1.5-flash-exp-0827',  # lmarena
    'gemini-1.5-flash-latest': None,  # aider
    'gemini-1.5-pro-001': 'google/gemini-1.5-pro-001',  # aider,epoch
    'Gemini-1.5-Pro-001': 'google/gemini-1.5-pro-001',  # lmarena
    'gemini-1.5-pro-002': 'google/gemini-1.5-pro-002',  # aider,epoch,livebench
    'Gemini-1.5-Pro-002': 'google/gemini-1.5-pro-002',  # lmarena
    'gemini-1.5-pro-api-0514': 'google/gemini-1.5-pro-preview-0514',  # livebench
    'Gemini-1.5-Pro-Exp-0801': 'google/gemini-1.5-pro-exp-0801',  # lmarena
    'gemini-1.5-pro-exp-0801': 'google/gemini-1.5-pro-exp-0801',  # livebench
    'gemini-1.5-pro-exp-0827': 'google/gemini-1.5-pro-exp-0827',  # aider,livebench
    'Gemini-1.5-Pro-Exp-0827': 'google/gemini-1.5-pro-exp-0827',  # lmarena
    'Gemini-1.5-Pro-Preview-0409': 'google/gemini-1.5-pro-preview-0409',  # lmarena
    'gemini-2.0-flash': 'google/gemini-2.0-flash',  # livebench
    'Gemini-2.0-Flash-001': 'google/gemini-2.0-flash',  # lmarena
    'gemini-2.0-flash-001': 'google/gemini-2.0-flash',  # epoch,livebench
    'gemini-2.0-flash-02-05': None,  # epoch
    'gemini-2.0-flash-exp': 'google/gemini-2.0-flash-exp',  # aider,epoch,livebench
    'Gemini-2.0-Flash-Exp': 'google/gemini-2.0-flash-exp',  # lmarena
    'Gemini-2.0-Flash-Lite': 'google/gemini-2.0-flash-lite',  # lmarena
    'gemini-2.0-flash-lite': 'google/gemini-2.0-flash-lite',  # epoch,livebench
    'gemini-2.0-flash-lite-001': 'google/gemini-2.0-flash-lite',  # livebench
    'gemini-2.0-flash-lite-preview-02-05': 'google/gemini-2.0-flash-lite-preview-02-05',  # epoch,livebench
    'gemini-2.0-flash-thinking-exp-01-21': 'google/gemini-2.0-flash-thinking-exp-01-21',  # aider,epoch,livebench
    'Gemini-2.0-Flash-Thinking-Exp-01-21': 'google/gemini-2.0-flash-thinking-exp-01-21',  # lmarena
    'Gemini-2.0-Flash-Thinking-Exp-1219': 'google/gemini-2.0-flash-thinking-exp-1219',  # lmarena
    'Gemini-2.0-Pro-Exp-02-05': 'google/gemini-2.0-pro-exp-02-05',  # lmarena
    'gemini-2.0-pro-exp-02-05': 'google/gemini-2.0-pro-exp-02-05',  # epoch,livebench
    'gemini-2.5-deep-think-2025-08-01-webapp': 'google/gemini-2.5-deep-think',  # epoch
    'Gemini-2.5-Flash': 'google/gemini-2.5-flash',  # lmarena
    'gemini-2.5-flash': 'google/gemini-2.5-flash',  # epoch
    'gemini-2.5-flash-06-05-highthinking': None,  # livebench
    'gemini-2.5-flash-lite-highthinking': 'google/gemini-2.5-flash-lite',  # livebench
    'gemini-2.5-flash-lite-preview-06-17-highthinking': 'google/gemini-2.5-flash-lite-preview-06-17',  # livebench
    'gemini-2.5-flash-lite-preview-06-17-thinking': 'google/gemini-2.5-flash-lite-preview-06-17',  # epoch
    'gemini-2.5-flash-lite-preview-06-17_16K': 'google/gemini-2.5-flash-lite-preview-06-17',  # epoch
    'gemini-2.5-flash-lite-preview-09-2025': 'google/gemini-2.5-flash-lite-preview-09-2025',  # epoch
    'gemini-2.5-flash-lite-preview-09-2025-highthinking': 'google/gemini-2.5-flash-lite-preview-09-2025',  # livebench
    'Gemini-2.5-Flash-Preview-04-17': 'google/gemini-2.5-flash-preview-04-17',  # lmarena
    'gemini-2.5-flash-preview-04-17': 'google/gemini-2.5-flash-preview-04-17',  # epoch,livebench
    'gemini-2.5-flash-preview-04-17 (16K thinking)': 'google/gemini-2.5-flash-preview-04-17',  # epoch
    'gemini-2.5-flash-preview-04-17 (24K thinking)': 'google/gemini-2.5-flash-preview-04-17',  # epoch
    'gemini-2.5-flash-preview-04-17 (default)': 'google/gemini-2.5-flash-preview-04-17',  # aider
    'gemini-2.5-flash-preview-05-20': 'google/gemini-2.5-flash-preview-05-20',  # epoch,livebench
    'gemini-2.5-flash-preview-05-20 (24k think)': 'google/gemini-2.5-flash-preview-05-20',  # aider
    'gemini-2.5-flash-preview-05-20 (no think)': 'google/gemini-2.5-flash-preview-05-20',  # aider
    'gemini-2.5-flash-preview-05-20_16K': 'google/gemini-2.5-flash-preview-05-20',  # epoch
    'gemini-2.5-flash-preview-05-20_1K': 'google/gemini-2.5-flash-preview-05-20',  # epoch
    'gemini-2.5-flash-preview-05-20_23K': 'google/gemini-2.5-flash-preview-05-20',  # epoch
    'gemini-2.5-flash-preview-05-20_8K': 'google/gemini-2.5-flash-preview-05-20',  # epoch
    'gemini-2.5-flash-preview-09-2025': 'google/gemini-2.5-flash-preview-09-2025',  # epoch
    'gemini-2.5-flash-preview-09-2025-highthinking': 'google/gemini-2.5-flash-preview-09-2025',  # livebench
    'gemini-2.5-flash-preview-09-2025_16k': 'google/gemini-2.5-flash-preview-09-2025',  # epoch
    'Gemini-2.5-Pro': 'google/gemini-2.5-pro',  # lmarena
    'gemini-2.5-pro': 'google/gemini-2.5-pro',  # epoch
    'gemini-2.5-pro-06-05-highthinking': None,  # livebench
    'Gemini-2.5-Pro-Exp-03-25': 'google/gemini-2.5-pro-exp-03-25',  # lmarena
    'gemini-2.5-pro-exp-03-25': 'google/gemini-2.5-pro-exp-03-25',  # epoch,livebench
    'gemini-2.5-pro-preview-03-25': 'google/gemini-2.5-pro-preview-03-25',  # epoch,livebench
    'Gemini-2.5-Pro-Preview-05-06': 'google/gemini-2.5-pro-preview-05-06',  # lmarena
    'gemini-2.5-pro-preview-05-06': 'google/gemini-2.5-pro-preview-05-06',  # epoch,livebench
    'gemini-2.5-pro-preview-06-05': 'google/gemini-2.5-pro-preview-06-05',  # epoch
    'gemini-2.5-pro-preview-06-05 (32k think)': 'google/gemini-2.5-pro-preview-06-05',  # aider
    'gemini-2.5-pro-preview-06-05 (default think)': 'google/gemini-2.5-pro-preview-06-05',  # aider
    'gemini-2.5-pro-preview-06-05-default': 'google/gemini-2.5-pro-preview-06-05',  # livebench
    'gemini-2.5-pro-preview-06-05-highthinking': 'google/gemini-2.5-pro-preview-06-05',  # livebench
    'gemini-2.5-pro-preview-06-05_1K': 'google/gemini-2.5-pro-preview-06-05',  # epoch
    'gemini-2.5-pro-preview-06-05_32K': 'google/gemini-2.5-pro-preview-06-05',  # epoch
    'gemini-2.5-pro_16K': 'google/gemini-2.5-pro',  # epoch
    'gemini-3-flash-preview-high': 'google/gemini-3-flash-preview',  # livebench
    'gemini-3-flash-preview-minimal': 'google/gemini-3-flash-preview',  # livebench
    'gemini-3-pro-preview-11-2025-high': 'google/gemini-3-pro-preview',  # livebench
    'gemini-3-pro-preview-11-2025-low': 'google/gemini-3-pro-preview',  # livebench
    'gemini-3.1-flash-lite-preview-high': 'google/gemini-3.1-flash-lite-preview',  # livebench
    'gemini-3.1-pro-preview-high': 'google/gemini-3.1-pro-preview',  # livebench
    'gemini-3.5-flash-high': 'google/gemini-3.5-flash',  # livebench
    'gemini-exp-1114': 'google/gemini-exp-1114',  # aider,livebench
    'Gemini-Exp-1114': 'google/gemini-exp-1114',  # lmarena
    'gemini-exp-1121': 'google/gemini-exp-1121',  # aider,livebench
    'Gemini-Exp-1121': 'google/gemini-exp-1121',  # lmarena
    'gemini-exp-1206': 'google/gemini-exp-1206',  # aider,epoch,livebench
    'Gemini-Exp-1206': 'google/gemini-exp-1206',  # lmarena
    'gemini-exp-1206 (diff)': 'google/gemini-exp-1206',  # aider
    'gemini-exp-1206 (whole)': 'google/gemini-exp-1206',  # aider
    'gemini-robotics-er-1.5-preview': None,  # epoch
    'Gemma-1.1-2b-it': None,  # lmarena
    'gemma-1.1-2b-it': None,  # evalplus
    'Gemma-1.1-7B-it': None,  # lmarena
    'gemma-1.1-7b-it': None,  # evalplus,livebench
    'Gemma-2-27B-it': 'google/gemma-2-27b-it',  # lmarena
    'gemma-2-27b-it': 'google/gemma-2-27b-it',  # epoch,livebench
    'Gemma-2-2b-it': 'google/gemma-2-2b-it',  # lmarena
    'gemma-2-9b': 'google/gemma-2-9b',  # epoch
    'Gemma-2-9B-it': 'google/gemma-2-9b-it',  # lmarena
    'gemma-2-9b-it': 'google/gemma-2-9b-it',  # epoch,livebench
    'Gemma-2-9B-it-SimPO': None,  # lmarena
    'gemma-2b': None,  # epoch,evalplus
    'Gemma-2B-it': None,  # lmarena
    'gemma-2b-it': None,  # evalplus
    'Gemma-3-12B-it': 'google/gemma-3-12b-it',  # lmarena
    'gemma-3-12b-it': 'google/gemma-3-12b-it',  # livebench
    'gemma-3-27b-it': 'google/gemma-3-27b-it',  # aider,epoch,livebench
    'Gemma-3-27B-it': 'google/gemma-3-27b-it',  # lmarena
    'Gemma-3-4B-it': 'google/gemma-3-4b-it',  # lmarena
    'gemma-3-4b-it': 'google/gemma-3-4b-it',  # livebench
    'gemma-3n-e2b-it': 'google/gemma-3n-E2B-it',  # livebench
    'Gemma-3n-e4b-it': 'google/gemma-3n-E4B-it',  # lmarena
    'gemma-3n-e4b-it': 'google/gemma-3n-E4B-it',  # livebench
    'gemma-4-31b-it': 'google/gemma-4-31B-it',  # livebench
    'gemma-7b': None,  # epoch,evalplus
    'Gemma-7B-it': None,  # lmarena
    'gemma-7b-it': None,  # evalplus
    'gemma2:27b-instruct-q8_0': 'google/gemma-2-27b-it',  # aider,epoch
    'google/codegemma-1.1-2b': None,  # open_llm_leaderboard
    'google/gemma-1.1-2b-it': None,  # open_llm_leaderboard
    'google/gemma-1.1-7b-it': None,  # open_llm_leaderboard
    'google/gemma-2-27b': 'google/gemma-2-27b',  # open_llm_leaderboard
    'google/gemma-2-27b-it': 'google/gemma-2-27b-it',  # open_llm_leaderboard
    'google/gemma-2-2b': 'google/gemma-2-2b',  # open_llm_leaderboard
    'google/gemma-2-2b-it': 'google/gemma-2-2b-it',  # open_llm_leaderboard
    'google/gemma-2-2b-jpn-it': 'google/gemma-2-2b-jpn-it',  # open_llm_leaderboard
    'google/gemma-2-9b': 'google/gemma-2-9b',  # open_llm_leaderboard
    'google/gemma-2-9b-it': 'google/gemma-2-9b-it',  # open_llm_leaderboard
    'google/gemma-2b': None,  # open_llm_leaderboard
    'google/gemma-2b-it': None,  # open_llm_leaderboard
    'google/gemma-3-12b-pt': 'google/gemma-3-12b-pt',  # vendor_claims
    'google/gemma-3-1b-pt': 'google/gemma-3-1b-pt',  # vendor_claims
    'google/gemma-3-27b-pt': 'google/gemma-3-27b-pt',  # vendor_claims
    'google/gemma-3-4b-pt': 'google/gemma-3-4b-pt',  # vendor_claims
    'google/gemma-7b': None,  # open_llm_leaderboard
    'google/gemma-7b-it': None,  # open_llm_leaderboard
    'google/recurrentgemma-2b': None,  # open_llm_leaderboard
    'google/recurrentgemma-2b-it': None,  # open_llm_leaderboard
    'google/recurrentgemma-9b': None,  # open_llm_leaderboard
    'google/recurrentgemma-9b-it': None,  # open_llm_leaderboard
    'Hermes 3 - Llama 3.1 - 405b': None,  # epoch
    'Hermes 3 - Llama 3.1 - 70b': None,  # epoch
    'Hermes-2-Theta-Llama-3-70B': None,  # epoch
    'hermes-3-llama-3.1-70b': None,  # livebench
    'LLAMA 2-CHAT 13B (8-shot)': None,  # epoch
    'LLAMA 2-CHAT 70B (8-shot)': None,  # epoch
    'LLAMA 2-CHAT 7B (8-shot)': None,  # epoch
    'Llama 4 Maverick': 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',  # aider
    'LLaMA-13B': None,  # epoch,lmarena
    'Llama-2-13b': None,  # epoch
    'Llama-2-13b-chat': None,  # epoch,lmarena
    'Llama-2-34b': None,  # epoch
    'Llama-2-70B-chat': None,  # lmarena
    'Llama-2-70b-chat': None,  # epoch
    'Llama-2-70b-chat-hf': None,  # epoch
    'Llama-2-70b-hf': None,  # epoch
    'Llama-2-7b': None,  # epoch
    'Llama-2-7B-chat': None,  # lmarena
    'llama-2-7b-chat-hf': None,  # livebench
    'Llama-3-70B-Instruct': 'meta-llama/Meta-Llama-3-70B-Instruct',  # lmarena
    'Llama-3-8B-Instruct': 'meta-llama/Meta-Llama-3-8B-Instruct',  # lmarena
    'Llama-3.1-405B': 'meta-llama/Llama-3.1-405B',  # epoch
    'Llama-3.1-405B-Instruct': 'meta-llama/Llama-3.1-405B-Instruct',  # epoch
    'llama-3.1-405b-instruct (diff)': 'meta-llama/Llama-3.1-405B-Instruct',  # aider
    'llama-3.1-405b-instruct (whole)': 'meta-llama/Llama-3.1-405B-Instruct',  # aider
    'llama-3.1-70b-instruct': 'meta-llama/Llama-3.1-70B-Instruct',  # aider
    'Llama-3.1-70B-Instruct': 'meta-llama/Llama-3.1-70B-Instruct',  # epoch
    'llama-3.1-8b-instruct': 'meta-llama/Llama-3.1-8B-Instruct',  # aider
    'Llama-3.1-8B-Instruct': 'meta-llama/Llama-3.1-8B-Instruct',  # epoch
    'Llama-3.1-Nemotron-51B-Instruct': None,  # lmarena
    'Llama-3.1-Nemotron-70B-Instruct': None,  # lmarena
    'llama-3.1-nemotron-70b-instruct': None,  # livebench
    'Llama-3.1-Nemotron-70B-Instruct-HF': None,  # aider
    'Llama-3.1-Nemotron-Ultra-253B-v1': None,  # lmarena
    'Llama-3.1-Tulu-3-70B': None,  # lmarena
    'Llama-3.1-Tulu-3-70B-DPO': None,  # epoch
    'Llama-3.1-Tulu-3-8B': None,  # lmarena
    'Llama-3.2-11B-Vision-Instruct': 'meta-llama/Llama-3.2-11B-Vision-Instruct',  # epoch,lmarena
    'Llama-3.2-1B-Instruct': 'meta-llama/Llama-3.2-1B-Instruct',  # epoch
    'Llama-3.2-3B-Instruct': 'meta-llama/Llama-3.2-3B-Instruct',  # epoch
    'Llama-3.2-90B-Vision-Instruct': 'meta-llama/Llama-3.2-90B-Vision-Instruct',  # epoch,lmarena
    'llama-3.3-70b-instruct': 'meta-llama/Llama-3.3-70B-Instruct',  # aider
    'Llama-3.3-70B-Instruct': 'meta-llama/Llama-3.3-70B-Instruct',  # epoch,lmarena
    'llama-3.3-70b-instruct-turbo': 'meta-llama/Llama-3.3-70B-Instruct',  # livebench
    'Llama-3.3-Nemotron-Super-49B-v1': None,  # lmarena
    'LLaMA-33B': None,  # epoch
    'Llama-4-Maverick-03-26-Experimental': 'meta-llama/Llama-4-Maverick-03-26-Experimental',  # lmarena
    'Llama-4-Maverick-17B-128E-Instruct': 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',  # epoch,lmarena
    'llama-4-maverick-17b-128e-instruct': 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',  # livebench
    'Llama-4-Maverick-17B-128E-Instruct-FP8': 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',  # epoch
    'Llama-4-Scout-17B-16E-Instruct': 'meta-llama/Llama-4-Scout-17B-16E-Instruct',  # epoch,lmarena
    'LLaMA-65B': None,  # epoch
    'LLaMA-7B': None,  # epoch
    'LLaMA-Adapter': None,  # epoch
    'LLaMA-Adapter-V2': None,  # epoch
    'LLaMA-SciTune': None,  # epoch
    'llama3-70b-8192': 'meta-llama/Meta-Llama-3-70B-Instruct',  # aider
    'Llama3-70B-instruct': 'meta-llama/Meta-Llama-3-70B-Instruct',  # evalplus
    'Llama3-8B-base': 'meta-llama/Meta-Llama-3-8B',  # evalplus: Llama 3 8B pre-trained, registered by #12
    'Llama3-8B-instruct': 'meta-llama/Meta-Llama-3-8B-Instruct',  # evalplus
    'llama3-llava-next-8b': None,  # epoch
    'Llama3.1-8B-instruct': 'meta-llama/Llama-3.1-8B-Instruct',  # evalplus
    'llama3.1:405b-instruct-q4_K_M': 'meta-llama/Llama-3.1-405B-Instruct',  # epoch
    'llama3.1:8b-instruct-q8_0': 'meta-llama/Llama-3.1-8B-Instruct',  # epoch
    'llama3.3:70b-instruct-q8_0': 'meta-llama/Llama-3.3-70B-Instruct',  # epoch
    'llama4-maverick-instruct-basic': 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',  # livebench
    'LLaVA-OneVision-qwen2-72B-ov-sft': None,  # lmarena
    'LLaVA-Video-72B-Qwen2': None,  # epoch
    'LLaVA-Video-7B-Qwen2': None,  # epoch
    'LLaVA-Video-7B-Qwen2-TPO': None,  # epoch
    'long-llava-qwen2-7b': None,  # epoch
    'Meta-Llama-3-70B': 'meta-llama/Meta-Llama-3-70B',  # epoch
    'meta-llama-3-70b-instruct': 'meta-llama/Meta-Llama-3-70B-Instruct',  # livebench
    'Meta-Llama-3-70B-Instruct': 'meta-llama/Meta-Llama-3-70B-Instruct',  # epoch
    'Meta-Llama-3-8B': 'meta-llama/Meta-Llama-3-8B',  # epoch
    'meta-llama-3-8b-instruct': 'meta-llama/Meta-Llama-3-8B-Instruct',  # livebench
    'Meta-Llama-3-8B-Instruct': 'meta-llama/Meta-Llama-3-8B-Instruct',  # epoch
    'Meta-Llama-3.1-405B-Instruct-bf16': 'meta-llama/Llama-3.1-405B-Instruct',  # lmarena
    'Meta-Llama-3.1-405B-Instruct-fp8': 'meta-llama/Llama-3.1-405B-Instruct',  # lmarena
    'meta-llama-3.1-405b-instruct-turbo': 'meta-llama/Llama-3.1-405B-Instruct',  # livebench
    'Meta-Llama-3.1-70B-Instruct': 'meta-llama/Llama-3.1-70B-Instruct',  # lmarena
    'meta-llama-3.1-70b-instruct-turbo': 'meta-llama/Llama-3.1-70B-Instruct',  # livebench
    'Meta-Llama-3.1-8B-Instruct': 'meta-llama/Llama-3.1-8B-Instruct',  # lmarena
    'meta-llama-3.1-8b-instruct-turbo': 'meta-llama/Llama-3.1-8B-Instruct',  # livebench
    'Meta-Llama-3.2-1B-Instruct': 'meta-llama/Llama-3.2-1B-Instruct',  # lmarena
    'Meta-Llama-3.2-3B-Instruct': 'meta-llama/Llama-3.2-3B-Instruct',  # lmarena
    'meta-llama/Llama-2-13b-chat-hf': None,  # open_llm_leaderboard
    'meta-llama/Llama-2-13b-hf': None,  # open_llm_leaderboard
    'meta-llama/Llama-2-70b-chat-hf': None,  # open_llm_leaderboard
    'meta-llama/Llama-2-70b-hf': None,  # open_llm_leaderboard
    'meta-llama/Llama-2-7b-chat-hf': None,  # open_llm_leaderboard
    'meta-llama/Llama-2-7b-hf': None,  # open_llm_leaderboard
    'meta-llama/Llama-3.1-405B': 'meta-llama/Llama-3.1-405B',  # vendor_claims
    'meta-llama/Llama-3.1-405B-Instruct': 'meta-llama/Llama-3.1-405B-Instruct',  # vendor_claims
    'meta-llama/Llama-3.1-70B': 'meta-llama/Llama-3.1-70B',  # open_llm_leaderboard,vendor_claims
    'meta-llama/Llama-3.1-70B-Instruct': 'meta-llama/Llama-3.1-70B-Instruct',  # open_llm_leaderboard
    'meta-llama/Llama-3.1-8B': 'meta-llama/Llama-3.1-8B',  # open_llm_leaderboard
    'meta-llama/Llama-3.1-8B-Instruct': 'meta-llama/Llama-3.1-8B-Instruct',  # open_llm_leaderboard
    'meta-llama/Llama-3.2-1B': 'meta-llama/Llama-3.2-1B',  # open_llm_leaderboard
    'meta-llama/Llama-3.2-1B-Instruct': 'meta-llama/Llama-3.2-1B-Instruct',  # open_llm_leaderboard
    'meta-llama/Llama-3.2-3B': 'meta-llama/Llama-3.2-3B',  # open_llm_leaderboard
    'meta-llama/Llama-3.2-3B-Instruct': 'meta-llama/Llama-3.2-3B-Instruct',  # open_llm_leaderboard
    'meta-llama/Llama-3.3-70B-Instruct': 'meta-llama/Llama-3.3-70B-Instruct',  # open_llm_leaderboard,vendor_claims
    'meta-llama/Llama-4-Maverick-17B-128E': 'meta-llama/Llama-4-Maverick-17B-128E',  # vendor_claims
    'meta-llama/Llama-4-Maverick-17B-128E-Instruct': 'meta-llama/Llama-4-Maverick-17B-128E-Instruct',  # vendor_claims
    'meta-llama/Llama-4-Scout-17B-16E': 'meta-llama/Llama-4-Scout-17B-16E',  # vendor_claims
    'meta-llama/Llama-4-Scout-17B-16E-Instruct': 'meta-llama/Llama-4-Scout-17B-16E-Instruct',  # vendor_claims
    'meta-llama/Meta-Llama-3-70B': 'meta-llama/Meta-Llama-3-70B',  # open_llm_leaderboard
    'meta-llama/Meta-Llama-3-70B-Instruct': 'meta-llama/Meta-Llama-3-70B-Instruct',  # open_llm_leaderboard
    'meta-llama/Meta-Llama-3-8B': 'meta-llama/Meta-Llama-3-8B',  # open_llm_leaderboard
    'meta-llama/Meta-Llama-3-8B-Instruct': 'meta-llama/Meta-Llama-3-8B-Instruct',  # open_llm_leaderboard
    'nousresearch/hermes-3-llama-3.1-405b': None,  # aider
    'NV-Llama2-70B-SteerLM-Chat': None,  # lmarena
    'Nvidia-Llama-3.3-Nemotron-Super-49B-v1.5': None,  # lmarena
    'ollama/codegeex4': None,  # aider
    'ollama/codestral': None,  # aider
    'ollama/granite3-dense:8b': None,  # aider
    'ollama/hermes3': None,  # aider
    'ollama/hermes3:8b-llama3.1-fp16': None,  # aider
    'ollama/llama3.2:3b-instruct-fp16': 'meta-llama/Llama-3.2-3B-Instruct',  # aider
    'ollama/mistral-nemo:12b-instruct-2407-q4_K_M': 'mistralai/Mistral-Nemo-Instruct-2407',  # aider
    'ollama/mistral-small': None,  # aider
    'ollama/qwen2.5-coder:14b': 'Qwen/Qwen2.5-Coder-14B-Instruct',  # aider
    'ollama/qwen2.5-coder:32b': 'Qwen/Qwen2.5-Coder-32B-Instruct',  # aider
    'ollama/Qwen2.5.1-Coder-7B-Instruct-GGUF:Q8_0-32k': None,  # aider
    'ollama/qwen2.5:32b': 'Qwen/Qwen2.5-32B-Instruct',  # aider
    'ollama/qwen2.5:32b-instruct-q8_0': 'Qwen/Qwen2.5-32B-Instruct',  # aider
    'ollama/tulu3': None,  # aider
    'ollama/wojtek/opencodeinterpreter:6.7b': None,  # aider
    'ollama/yi-coder:9b-chat-fp16': None,  # aider
    'open_llama_7b': None,  # epoch
    'openrouter/qwen/qwen-2.5-coder-32b-instruct': 'Qwen/Qwen2.5-Coder-32B-Instruct',  # aider
    'parasail-qwen3-235b-a22b-instruct-2507': 'Qwen/Qwen3-235B-A22B-Instruct-2507',  # epoch (Parasail's API id)
    'Phind-CodeLlama-34B-v2': None,  # evalplus
    'PILL (LLaMA-7B)': None,  # epoch
    'Qwen 2.5 - 72b - Instruct': 'Qwen/Qwen2.5-72B-Instruct',  # epoch
    'Qwen-14B': None,  # epoch
    'Qwen-14B-Chat': None,  # epoch,lmarena
    'Qwen-1_8B': None,  # epoch
    'qwen-2.5-72b-instruct (bf16)': 'Qwen/Qwen2.5-72B-Instruct',  # aider
    'Qwen-7B': None,  # epoch
    'QWEN-CHAT 1.8B (0-shot)': None,  # epoch
    'QWEN-CHAT 1.8B (8-shot)': None,  # epoch
    'QWEN-CHAT 14B (0-shot)': None,  # epoch
    'QWEN-CHAT 14B (8-shot)': None,  # epoch
    'QWEN-CHAT 7B (0-shot)': None,  # epoch
    'QWEN-CHAT 7B (8-shot)': None,  # epoch
    'Qwen-Max-0428': 'Qwen/qwen-max-2024-04-28',  # lmarena
    'Qwen-Max-0919': 'Qwen/qwen-max-2024-09-19',  # lmarena
    'qwen-max-2025-01-25': 'Qwen/qwen-max-2025-01-25',  # aider,epoch
    'Qwen-Plus-0125': 'Qwen/qwen-plus-2025-01-25',  # lmarena
    'Qwen-Plus-0828': None,  # lmarena
    'qwen-plus-2025-01-25': 'Qwen/qwen-plus-2025-01-25',  # epoch
    'qwen-plus-2025-04-28': 'Qwen/qwen-plus-2025-04-28',  # epoch
    'Qwen-Turbo (2024-11-01)': 'Qwen/qwen-turbo-2024-11-01',  # epoch
    'qwen-turbo-2024-11-01': 'Qwen/qwen-turbo-2024-11-01',  # epoch
    'Qwen-VL-Chat': None,  # epoch
    'Qwen-VL-Max': None,  # epoch
    'Qwen-VL-Max-1119': None,  # lmarena
    'Qwen/Qwen1.5-0.5B': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-0.5B-Chat': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-1.8B': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-1.8B-Chat': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-110B': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-110B-Chat': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-14B': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-14B-Chat': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-32B': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-32B-Chat': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-4B': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-4B-Chat': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-7B': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-7B-Chat': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-MoE-A2.7B': None,  # open_llm_leaderboard
    'Qwen/Qwen1.5-MoE-A2.7B-Chat': None,  # open_llm_leaderboard
    'Qwen/Qwen2-0.5B': None,  # open_llm_leaderboard
    'Qwen/Qwen2-0.5B-Instruct': 'Qwen/Qwen2-0.5B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2-1.5B': None,  # open_llm_leaderboard
    'Qwen/Qwen2-1.5B-Instruct': 'Qwen/Qwen2-1.5B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2-57B-A14B': None,  # open_llm_leaderboard
    'Qwen/Qwen2-57B-A14B-Instruct': 'Qwen/Qwen2-57B-A14B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2-72B': None,  # open_llm_leaderboard
    'Qwen/Qwen2-72B-Instruct': 'Qwen/Qwen2-72B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2-7B': None,  # open_llm_leaderboard
    'Qwen/Qwen2-7B-Instruct': 'Qwen/Qwen2-7B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2-Math-72B-Instruct': 'Qwen/Qwen2-Math-72B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2-Math-7B': 'Qwen/Qwen2-Math-7B',  # open_llm_leaderboard
    'Qwen/Qwen2-VL-72B-Instruct': 'Qwen/Qwen2-VL-72B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2-VL-7B-Instruct': 'Qwen/Qwen2-VL-7B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-0.5B': 'Qwen/Qwen2.5-0.5B',  # open_llm_leaderboard
    'Qwen/Qwen2.5-0.5B-Instruct': 'Qwen/Qwen2.5-0.5B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-1.5B': 'Qwen/Qwen2.5-1.5B',  # open_llm_leaderboard
    'Qwen/Qwen2.5-1.5B-Instruct': 'Qwen/Qwen2.5-1.5B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-14B': 'Qwen/Qwen2.5-14B',  # open_llm_leaderboard
    'Qwen/Qwen2.5-14B-Instruct': 'Qwen/Qwen2.5-14B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-14B-Instruct-1M': 'Qwen/Qwen2.5-14B-Instruct-1M',  # open_llm_leaderboard
    'Qwen/Qwen2.5-32B': 'Qwen/Qwen2.5-32B',  # open_llm_leaderboard,vendor_claims
    'Qwen/Qwen2.5-32B-Instruct': 'Qwen/Qwen2.5-32B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-3B': 'Qwen/Qwen2.5-3B',  # open_llm_leaderboard
    'Qwen/Qwen2.5-3B-Instruct': 'Qwen/Qwen2.5-3B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-72B': 'Qwen/Qwen2.5-72B',  # open_llm_leaderboard,vendor_claims
    'Qwen/Qwen2.5-72B-Instruct': 'Qwen/Qwen2.5-72B-Instruct',  # open_llm_leaderboard,vendor_claims
    'Qwen/Qwen2.5-7B': 'Qwen/Qwen2.5-7B',  # open_llm_leaderboard
    'Qwen/Qwen2.5-7B-Instruct': 'Qwen/Qwen2.5-7B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-7B-Instruct-1M': 'Qwen/Qwen2.5-7B-Instruct-1M',  # open_llm_leaderboard
    'Qwen/Qwen2.5-Coder-14B': 'Qwen/Qwen2.5-Coder-14B',  # open_llm_leaderboard
    'Qwen/Qwen2.5-Coder-14B-Instruct': 'Qwen/Qwen2.5-Coder-14B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-Coder-32B': 'Qwen/Qwen2.5-Coder-32B',  # open_llm_leaderboard
    'Qwen/Qwen2.5-Coder-32B-Instruct': 'Qwen/Qwen2.5-Coder-32B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-Coder-7B': 'Qwen/Qwen2.5-Coder-7B',  # open_llm_leaderboard
    'Qwen/Qwen2.5-Coder-7B-Instruct': 'Qwen/Qwen2.5-Coder-7B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-Math-1.5B-Instruct': 'Qwen/Qwen2.5-Math-1.5B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-Math-72B-Instruct': 'Qwen/Qwen2.5-Math-72B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen2.5-Math-7B': None,  # open_llm_leaderboard
    'Qwen/Qwen2.5-Math-7B-Instruct': 'Qwen/Qwen2.5-Math-7B-Instruct',  # open_llm_leaderboard
    'Qwen/Qwen3-0.6B': 'Qwen/Qwen3-0.6B',  # vendor_claims
    'Qwen/Qwen3-1.7B': 'Qwen/Qwen3-1.7B',  # vendor_claims
    'Qwen/Qwen3-14B': 'Qwen/Qwen3-14B',  # vendor_claims
    'Qwen/Qwen3-235B-A22B': 'Qwen/Qwen3-235B-A22B',  # vendor_claims
    'Qwen/Qwen3-235B-A22B-Base': 'Qwen/Qwen3-235B-A22B-Base',  # vendor_claims
    'Qwen/Qwen3-30B-A3B': 'Qwen/Qwen3-30B-A3B',  # vendor_claims
    'Qwen/Qwen3-32B': 'Qwen/Qwen3-32B',  # vendor_claims
    'Qwen/Qwen3-32B-Base': 'Qwen/Qwen3-32B-Base',  # vendor_claims
    'Qwen/Qwen3-4B': 'Qwen/Qwen3-4B',  # vendor_claims
    'Qwen/Qwen3-8B': 'Qwen/Qwen3-8B',  # vendor_claims
    'Qwen/QwQ-32B': 'Qwen/QwQ-32B',  # open_llm_leaderboard,vendor_claims
    'Qwen/QwQ-32B-Preview': 'Qwen/QwQ-32B-Preview',  # open_llm_leaderboard,vendor_claims
    'Qwen1.5 (72B)': None,  # epoch
    'Qwen1.5 Chat (110B)': None,  # epoch
    'qwen1.5-0.5b-chat': None,  # livebench
    'qwen1.5-1.8b-chat': None,  # livebench
    'qwen1.5-110b-chat': None,  # aider,livebench
    'Qwen1.5-110B-Chat': None,  # lmarena
    'qwen1.5-14B': None,  # epoch
    'Qwen1.5-14B-Chat': None,  # lmarena
    'qwen1.5-32B': None,  # epoch
    'Qwen1.5-32B-Chat': None,  # lmarena
    'qwen1.5-32b-chat': None,  # epoch
    'Qwen1.5-4B-Chat': None,  # lmarena
    'qwen1.5-4b-chat': None,  # livebench
    'Qwen1.5-72B-Chat': None,  # evalplus,lmarena
    'qwen1.5-72b-chat': None,  # epoch,livebench
    'Qwen1.5-7B': None,  # epoch
    'Qwen1.5-7B-Chat': None,  # lmarena
    'qwen1.5-7b-chat': None,  # livebench
    'Qwen2 72B Instruct': 'Qwen/Qwen2-72B-Instruct',  # aider
    'qwen2-0.5b-instruct': 'Qwen/Qwen2-0.5B-Instruct',  # livebench
    'qwen2-1.5b-instruct': 'Qwen/Qwen2-1.5B-Instruct',  # livebench
    'Qwen2-72B-Instruct': 'Qwen/Qwen2-72B-Instruct',  # lmarena
    'qwen2-72b-instruct': 'Qwen/Qwen2-72B-Instruct',  # epoch,livebench
    'qwen2-7b-instruct': 'Qwen/Qwen2-7B-Instruct',  # livebench
    'Qwen2-VL-72b-Instruct': 'Qwen/Qwen2-VL-72B-Instruct',  # lmarena
    'Qwen2-VL-72B-Instruct': 'Qwen/Qwen2-VL-72B-Instruct',  # epoch
    'Qwen2-VL-7B-Instruct': 'Qwen/Qwen2-VL-7B-Instruct',  # epoch,lmarena
    'Qwen2.5 Coder 32B-I': 'Qwen/Qwen2.5-Coder-32B-Instruct',  # aider
    'qwen2.5-14b-instruct': 'Qwen/Qwen2.5-14B-Instruct',  # epoch
    'qwen2.5-32b-instruct': 'Qwen/Qwen2.5-32B-Instruct',  # epoch
    'Qwen2.5-72B': 'Qwen/Qwen2.5-72B',  # epoch
    'Qwen2.5-72B-Instruct': 'Qwen/Qwen2.5-72B-Instruct',  # lmarena
    'qwen2.5-72b-instruct': 'Qwen/Qwen2.5-72B-Instruct',  # epoch,livebench
    'qwen2.5-72b-instruct-turbo': 'Qwen/Qwen2.5-72B-Instruct',  # livebench
    'qwen2.5-7b-instruct': 'Qwen/Qwen2.5-7B-Instruct',  # epoch
    'qwen2.5-7b-instruct-turbo': 'Qwen/Qwen2.5-7B-Instruct',  # livebench
    'Qwen2.5-Coder-0.5B': 'Qwen/Qwen2.5-Coder-0.5B',  # epoch
    'Qwen2.5-Coder-0.5B-Instruct': 'Qwen/Qwen2.5-Coder-0.5B-Instruct',  # aider
    'Qwen2.5-Coder-1.5B': 'Qwen/Qwen2.5-Coder-1.5B',  # epoch
    'Qwen2.5-Coder-1.5B-Instruct': 'Qwen/Qwen2.5-Coder-1.5B-Instruct',  # aider
    'Qwen2.5-Coder-14B': 'Qwen/Qwen2.5-Coder-14B',  # epoch
    'Qwen2.5-Coder-14B-Instruct': 'Qwen/Qwen2.5-Coder-14B-Instruct',  # aider,epoch
    'Qwen2.5-Coder-32B': 'Qwen/Qwen2.5-Coder-32B',  # epoch
    'Qwen2.5-Coder-32B-Instruct': 'Qwen/Qwen2.5-Coder-32B-Instruct',  # aider,epoch,evalplus,lmarena
    'qwen2.5-coder-32b-instruct': 'Qwen/Qwen2.5-Coder-32B-Instruct',  # livebench
    'Qwen2.5-Coder-3B': 'Qwen/Qwen2.5-Coder-3B',  # epoch
    'Qwen2.5-Coder-3B-Instruct': 'Qwen/Qwen2.5-Coder-3B-Instruct',  # aider,epoch
    'Qwen2.5-Coder-7B': 'Qwen/Qwen2.5-Coder-7B',  # epoch
    'Qwen2.5-Coder-7B-Instruct': 'Qwen/Qwen2.5-Coder-7B-Instruct',  # aider,epoch
    'qwen2.5-coder:7b-instruct-q8_0': 'Qwen/Qwen2.5-Coder-7B-Instruct',  # aider
    'Qwen2.5-Max': 'Qwen/qwen-max-2025-01-25',  # lmarena
    'qwen2.5-max': 'Qwen/qwen-max-2025-01-25',  # epoch,livebench
    'Qwen2.5-plus-1127': None,  # lmarena
    'Qwen2.5-VL-32B-Instruct': 'Qwen/Qwen2.5-VL-32B-Instruct',  # lmarena
    'Qwen2.5-VL-72B-Instruct': 'Qwen/Qwen2.5-VL-72B-Instruct',  # epoch,lmarena
    'qwen2:72b-instruct-q8_0': 'Qwen/Qwen2-72B-Instruct',  # aider
    'Qwen3 235B A22B diff on OpenRouter only TogetherAI, recommended /no_think settings': 'Qwen/Qwen3-235B-A22B',  # aider
    'Qwen3 235B A22B diff on OpenRouter, all providers, default settings (thinking)': 'Qwen/Qwen3-235B-A22B',  # aider
    'Qwen3 235B A22B diff, no think, Alibaba API': 'Qwen/Qwen3-235B-A22B',  # aider
    'Qwen3 235B A22B diff, no think, via official Alibaba API': 'Qwen/Qwen3-235B-A22B',  # aider
    'Qwen3 235B A22B whole, no think, via official Alibaba API': 'Qwen/Qwen3-235B-A22B',  # aider
    'Qwen3 32B': 'Qwen/Qwen3-32B',  # aider
    'Qwen3 32B diff on OpenRouter, all providers, default settings (thinking)': 'Qwen/Qwen3-32B',  # aider
    'qwen3-14b-thinking': 'Qwen/Qwen3-14B',  # livebench
    'Qwen3-235B-A22B': 'Qwen/Qwen3-235B-A22B',  # epoch,lmarena
    'qwen3-235b-a22b': 'Qwen/Qwen3-235B-A22B',  # epoch
    'Qwen3-235B-A22B diff with VLLM, bfloat16, recommended /no_think settings': 'Qwen/Qwen3-235B-A22B',  # aider
    'Qwen3-235B-A22B whole with llama.cpp, Q5_K_M (unsloth), recommended /no_think settings': 'Qwen/Qwen3-235B-A22B',  # aider
    'Qwen3-235B-A22B whole with VLLM, bfloat16, recommended /no_think settings': 'Qwen/Qwen3-235B-A22B',  # aider
    'Qwen3-235B-A22B-Instruct-2507': 'Qwen/Qwen3-235B-A22B-Instruct-2507',  # epoch,lmarena
    'qwen3-235b-a22b-instruct-2507': 'Qwen/Qwen3-235B-A22B-Instruct-2507',  # livebench
    'Qwen3-235B-A22B-no-thinking': 'Qwen/Qwen3-235B-A22B',  # lmarena
    'qwen3-235b-a22b-thinking': 'Qwen/Qwen3-235B-A22B',  # livebench
    'Qwen3-235B-A22B-Thinking-2507': 'Qwen/Qwen3-235B-A22B-Thinking-2507',  # epoch,lmarena
    'qwen3-235b-a22b-thinking-2507': 'Qwen/Qwen3-235B-A22B-Thinking-2507',  # livebench
    'Qwen3-30B-A3B': 'Qwen/Qwen3-30B-A3B',  # epoch,lmarena
    'Qwen3-30B-A3B-Instruct-2507': 'Qwen/Qwen3-30B-A3B-Instruct-2507',  # lmarena
    'qwen3-30b-a3b-thinking': 'Qwen/Qwen3-30B-A3B',  # livebench
    'Qwen3-32B': 'Qwen/Qwen3-32B',  # epoch,lmarena
    'Qwen3-32B diff with VLLM, bfloat16, recommended /no_think settings': 'Qwen/Qwen3-32B',  # aider
    'Qwen3-32B whole with VLLM, bfloat16, recommended /no_think settings': 'Qwen/Qwen3-32B',  # aider
    'qwen3-32b-thinking': 'Qwen/Qwen3-32B',  # livebench
    'Qwen3-Coder-480B-A35B-Instruct': 'Qwen/Qwen3-Coder-480B-A35B-Instruct',  # epoch,lmarena
    'qwen3-coder-480b-a35b-instruct': 'Qwen/Qwen3-Coder-480B-A35B-Instruct',  # livebench
    'qwen3-coder-plus': None,  # epoch
    'qwen3-max-2025-09-23': 'Qwen/qwen3-max-2025-09-23',  # epoch,livebench
    'qwen3-next-80b-a3b-instruct': 'Qwen/Qwen3-Next-80B-A3B-Instruct',  # livebench
    'qwen3-next-80b-a3b-thinking': 'Qwen/Qwen3-Next-80B-A3B-Thinking',  # livebench
    'qwen3.6-27b': 'Qwen/Qwen3.6-27B',  # livebench
    'qwen3.6-flash': 'Qwen/qwen3.6-flash',  # livebench
    'qwen3.6-plus': 'Qwen/qwen3.6-plus',  # livebench
    'qwen3.7-max': 'Qwen/qwen3.7-max',  # livebench
    'QwQ + DeepSeek V2.5': None,  # aider
    'QwQ + Haiku': None,  # aider
    'QwQ + Qwen2.5 Coder 32B-I': None,  # aider
    'QwQ-32B': 'Qwen/QwQ-32B',  # aider,epoch,lmarena
    'qwq-32b': 'Qwen/QwQ-32B',  # livebench
    'QwQ-32B (16K thinking)': 'Qwen/QwQ-32B',  # epoch
    'QwQ-32B + Qwen 2.5 Coder Instruct': None,  # aider
    'QwQ-32B-Preview': 'Qwen/QwQ-32B-Preview',  # aider,epoch,lmarena
    'qwq-32b-preview': 'Qwen/QwQ-32B-Preview',  # livebench
    'QwQ-32B-Preview-Q8_0-GGUF': 'Qwen/QwQ-32B-Preview',  # epoch
    'qwq-plus': None,  # epoch
    'SliME-Llama3-8B': None,  # epoch
    'smaug-qwen2-72b-instruct': None,  # livebench
    'speechless-codellama-34B-v2.0': None,  # evalplus
    'VideoChat-Flash-Qwen2-7B_res448': None,  # epoch
    'VideoLLAMA2-7B': None,  # epoch
    'VideoLLAMA3-7B': None,  # epoch
    'ViLAMP-llava-qwen': None,  # epoch
}

MUST_DIFFER = [
    ("Llama-4-Maverick-03-26-Experimental", "Llama-4-Maverick-17B-128E-Instruct"),
    ("DeepSeek-V3", "DeepSeek-V3-0324"), ("DeepSeek-R1", "DeepSeek-R1-0528"),
    ("DeepSeek-R1-Distill-Qwen-32B", "Qwen/Qwen2.5-32B-Instruct"), ("DeepSeek-R1-Distill-Llama-70B", "DeepSeek-R1"),
    ("Qwen3-235B-A22B", "Qwen3-235B-A22B-Instruct-2507"), ("Qwen3-235B-A22B", "Qwen3-235B-A22B-Thinking-2507"),
    ("QwQ-32B", "QwQ-32B-Preview"), ("gemini-2.5-pro", "gemini-2.5-pro-preview-06-05"),
    ("gemini-2.5-pro-exp-03-25", "gemini-2.5-pro-preview-03-25"), ("gemma-3-4b-it", "gemma-3n-e4b-it"),
    ("meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct"), ("Qwen/Qwen2.5-72B", "Qwen/Qwen2.5-72B-Instruct"),
    ("google/gemma-3-27b-pt", "gemma-3-27b-it"), ("DeepSeek-V3-Base", "DeepSeek-V3"),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_registry())


def test_every_expected_name_maps_as_checked_by_hand(matcher):
    wrong = {n: (matcher.match(n).model_id, want) for n, want in EXPECTED.items() if matcher.match(n).model_id != want}
    assert not wrong, wrong


def test_expected_list_covers_every_family_name_in_the_mirror():
    if not MIRROR.is_dir():
        pytest.skip("no mirror")
    from tools.scan_eval_names import EVAL_SOURCES, names_of
    found = set()
    for s in EVAL_SOURCES:
        found |= names_of(s, str(MIRROR))
    assert found - set(EXPECTED) == set(), "new names of our families: add them to EXPECTED"


def assert_never_merge(matcher, pairs):
    for a, b in pairs:
        ma, mb = matcher.match(a).model_id, matcher.match(b).model_id
        assert ma and mb and ma != mb, (a, ma, b, mb)


def test_checkpoints_never_merge(matcher):
    assert_never_merge(matcher, MUST_DIFFER)


@pytest.mark.parametrize("name,model_id,setting", [
    ("Llama-4-Maverick-17B-128E-Instruct-FP8", "meta-llama/Llama-4-Maverick-17B-128E-Instruct", "FP8"),
    ("Qwen3-235B-A22B-no-thinking", "Qwen/Qwen3-235B-A22B", "no-thinking"),
    ("qwen3-32b-thinking", "Qwen/Qwen3-32B", "thinking"),
    ("llama-3.3-70b-instruct-turbo", "meta-llama/Llama-3.3-70B-Instruct", "turbo"),
    ("gemini-2.5-pro_16K", "google/gemini-2.5-pro", "16K"),
    ("QwQ-32B-Preview-Q8_0-GGUF", "Qwen/QwQ-32B-Preview", "Q8_0; GGUF"),
    ("DeepSeek-V3.2-Exp (Reasoner)", "deepseek-ai/DeepSeek-V3.2-Exp", "Reasoner"),
    ("Qwen3 235B A22B diff, no think, Alibaba API", "Qwen/Qwen3-235B-A22B", "diff; no think, Alibaba API"),
    # 2024-2026 launches (#12)
    ("gemini-3-pro-preview-11-2025-high", "google/gemini-3-pro-preview", "high"),
    ("o3-2025-04-16_high", "openai/o3-2025-04-16", "high"),
    ("Claude 3.7 Sonnet (thinking-32k)", "anthropic/claude-3-7-sonnet-20250219", "thinking-32k"),
    ("kimi-k2.5-thinking", "moonshotai/Kimi-K2.5", "thinking"),
    ("gpt-oss-120b (high)", "openai/gpt-oss-120b", "high"),
])
def test_settings_are_peeled_into_the_score_setting(matcher, name, model_id, setting):
    m = matcher.match(name)
    assert (m.model_id, m.setting) == (model_id, setting)


def test_display_name_never_pulls_a_base_checkpoint_onto_the_instruct_model(matcher):
    # "Llama 3.1 8B" is the instruct model's label; the repo id Llama-3.1-8B is the base model
    assert matcher.match("Llama 3.1 8B").model_id == "meta-llama/Llama-3.1-8B"
    assert matcher.match("Llama-3.1-8B-Instruct").model_id == "meta-llama/Llama-3.1-8B-Instruct"


def test_cli_match_agrees_for_a_sample():
    sample = [n for i, n in enumerate(sorted(EXPECTED)) if i % 9 == 0]
    out = subprocess.run([sys.executable, "-m", "etl", "match", *sample], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    got = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(got) == len(sample)
    for name, row in zip(sample, got):
        assert row["model_id"] == EXPECTED[name], name


# 2024-2026 launches, peers and closed reference models (#12): each new checkpoint stays apart from its
# neighbours (preview vs GA, thinking vs instruct, base vs post-trained, dated snapshots, distill vs teacher)
MUST_DIFFER_LAUNCHES = [
    ("gemini-3-pro-preview", "gemini-3.1-pro-preview"), ("gemini-2.5-flash-lite", "gemini-2.5-flash-lite-preview-06-17"),
    ("gemini-3.1-flash-lite", "gemini-3.1-flash-lite-preview"), ("Qwen2.5-Math-7B-Instruct", "Qwen2.5-7B-Instruct"),
    ("Qwen2.5-7B-Instruct-1M", "Qwen2.5-7B-Instruct"), ("DeepSeek-Prover-V2-671B", "DeepSeek-V3"),
    ("Qwen2-Math-72B-Instruct", "Qwen2-72B-Instruct"), ("gemma-2-2b-jpn-it", "gemma-2-2b-it"),
    ("gemini-2.5-flash-lite-preview-06-17", "gemini-2.5-flash-lite-preview-09-2025"),
    ("gemini-2.5-flash-preview-09-2025", "gemini-2.5-flash"), ("gemini-1.5-pro-001", "gemini-1.5-pro-002"),
    ("gemini-1.5-pro-exp-0827", "gemini-1.5-pro-002"), ("gemini-exp-1206", "gemini-2.0-pro-exp-02-05"),
    ("DeepSeek-V4-Pro", "DeepSeek-V4-Pro-Base"), ("DeepSeek-V4-Pro", "DeepSeek-V4-Flash"),
    ("DeepSeek-V4-Flash", "DeepSeek-V4-Flash-Base"), ("DeepSeek-V3.2", "DeepSeek-V3.2-Speciale"),
    ("DeepSeek-V2.5", "DeepSeek-V2.5-1210"), ("DeepSeek-Coder-V2-Instruct", "DeepSeek-Coder-V2-Instruct-0724"),
    ("DeepSeek-Coder-V2-Instruct", "DeepSeek-Coder-V2-Base"), ("DeepSeek-R1-0528-Qwen3-8B", "Qwen3-8B"),
    ("DeepSeek-R1-0528-Qwen3-8B", "DeepSeek-R1-0528"),
    ("Qwen3.5-27B", "Qwen3.6-27B"), ("Qwen3.5-35B-A3B", "Qwen3.5-35B-A3B-Base"), ("Qwen3.5-9B", "Qwen3.5-9B-Base"),
    ("Qwen3-Next-80B-A3B-Instruct", "Qwen3-Next-80B-A3B-Thinking"), ("Qwen3-VL-8B-Instruct", "Qwen3-VL-8B-Thinking"),
    ("Qwen3-VL-8B-Instruct", "Qwen3-8B"), ("Qwen2.5-VL-7B-Instruct", "Qwen2-VL-7B-Instruct"),
    ("Qwen2.5-Coder-7B", "Qwen2.5-Coder-7B-Instruct"), ("Qwen2.5-Coder-7B-Instruct", "Qwen2.5-7B-Instruct"),
    ("Qwen2-72B-Instruct", "Qwen2.5-72B-Instruct"), ("qwen-plus-2025-04-28", "qwen-plus-2025-07-28"),
    ("qwen3.6-plus", "qwen3.6-27b"), ("Qwen3-Coder-30B-A3B-Instruct", "Qwen3-30B-A3B"),
    ("gemma-4-31B-it", "gemma-4-31B"), ("gemma-4-26B-A4B-it", "gemma-4-26B-A4B"), ("gemma-4-E4B-it", "gemma-3n-E4B-it"),
    ("Meta-Llama-3-8B", "Meta-Llama-3-8B-Instruct"), ("Llama-3-70B-Instruct", "Llama-3.1-70B-Instruct"),
    ("Llama-3.2-11B-Vision-Instruct", "Llama-3.2-3B-Instruct"),
    ("Kimi-K2-Instruct", "Kimi-K2-Instruct-0905"), ("Kimi-K2-Instruct", "Kimi-K2-Thinking"), ("kimi-k2.5", "kimi-k2.6"),
    ("GLM-4.5", "GLM-4.5-Air"), ("GLM-4.6", "GLM-4.7"), ("GLM-5", "GLM-5.1"), ("MiniMax-M1-80k", "MiniMax-M1-40k"),
    ("MiniMax-M2", "MiniMax-M2.1"), ("gpt-oss-120b", "gpt-oss-20b"), ("mistral-large-2407", "mistral-large-2411"),
    ("mistral-small-2501", "mistral-small-2503"),
    ("gpt-4o-2024-08-06", "gpt-4o-2024-11-20"), ("gpt-4o-2024-05-13", "gpt-4o-mini-2024-07-18"), ("o3-mini", "o3"),
    ("o4-mini", "o3-mini"), ("o1", "o1-preview"), ("gpt-5", "gpt-5-mini"), ("gpt-5.1", "gpt-5"),
    ("claude-3-5-sonnet-20240620", "claude-3-5-sonnet-20241022"), ("claude-opus-4", "claude-opus-4.1"),
    ("claude-sonnet-4", "claude-sonnet-4.5"), ("Claude 3.7 Sonnet", "Claude 3.5 Sonnet (20241022)"),
]

# spellings that name no single checkpoint (moving aliases, undated families, third-party fine-tunes): never matched
NEVER_MATCHED_LAUNCHES = [
    "gpt-4o", "chatgpt-4o-latest", "qwen-plus", "qwen-max", "qwen3-max", "qwen3-coder-plus", "qwq-plus", "Claude 3.5 Sonnet", "gemini-3-pro",
    "gemini-flash-latest", "deepseek-coder-v2", "Minimax-M1", "gemma-4-26b",
    "gemini-2.5-pro-preview", "Llama-3.1-Nemotron-70B-Instruct", "NousResearch/Hermes-3-Llama-3.1-70B",
    "Qwen3.5", "Gemma 4", "DeepSeek V4", "GLM-4.6V", "Llama Guard 3 8B", "claude-3-5-sonnet",
    # base checkpoints we do not register never reach their instruct models
    "Mistral-7B-v0.3", "Llama-3.2-11B-Vision", "Mixtral-8x22B-v0.1", "deepseek-coder-v2-lite", "Kimi-K2-Base",
    "GLM-4.5-Base", "Qwen3.5-27B-Base", "Qwen2-72B", "gpt-oss-120b-base",
]


def test_launch_checkpoints_never_merge(matcher):
    assert_never_merge(matcher, MUST_DIFFER_LAUNCHES)


@pytest.mark.parametrize("name", NEVER_MATCHED_LAUNCHES)
def test_ambiguous_launch_spellings_stay_unmatched(matcher, name):
    assert matcher.match(name).model_id is None, (name, matcher.match(name))
