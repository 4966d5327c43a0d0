"""The local outbox as a page: every message moto's SES accepted, newest first, links clickable."""

from __future__ import annotations

import html
import re

URL = re.compile(r"https?://[^\s<>\"']+")


def _linkify(text: str) -> str:
    out, last = [], 0
    for match in URL.finditer(text):
        out += [
            html.escape(text[last : match.start()]),
            f'<a href="{html.escape(match.group())}">{html.escape(match.group())}</a>',
        ]
        last = match.end()
    return "".join(out) + html.escape(text[last:])


def render(messages: list[dict], now_label: str) -> str:
    items = []
    for number, msg in reversed(list(enumerate(messages, 1))):
        cc = f" · cc {html.escape(', '.join(msg['cc']))}" if msg["cc"] else ""
        items.append(
            f"<article><h2>#{number} {html.escape(msg['subject'])}</h2>"
            f"<p class=meta>to {html.escape(', '.join(msg['to']))}{cc}</p>"
            f'<details><summary>HTML part</summary><iframe sandbox srcdoc="{html.escape(msg["html"])}"></iframe></details>'
            f"<pre>{_linkify(msg['text'])}</pre></article>"
        )
    body = "".join(items) or "<p>No mail yet. <a href='/'>Ask for an introduction</a> to start.</p>"
    return f"""<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content="width=device-width,initial-scale=1">
<title>Local outbox</title><style>
body{{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:0 auto;padding:1rem;background:#f4f3ef}}
article{{background:#fff;border-radius:8px;padding:1rem;margin:1rem 0}}h2{{font-size:1.1rem;margin:0}}
.meta{{color:#555;margin:.25rem 0}}pre{{white-space:pre-wrap;overflow-wrap:anywhere}}
iframe{{width:100%;height:32rem;border:1px solid #ddd}}form{{display:inline}}</style>
<h1>Local outbox</h1>
<p>Mail the service sent, newest first ({len(messages)} in all; <a href="/_local/outbox.json">JSON</a>). Server time: {now_label}.</p>
<form method=post action="/_local/tick"><label>Move the clock forward <input name=days type=number min=0 step=0.5 value=1 style="width:5rem"> days</label>
<button>Run the scheduler</button></form>
{body}</html>"""
