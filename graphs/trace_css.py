"""The stylesheet of the trace page (inlined, so the page is one self-contained file)."""

CSS = """
:root {
  --ink: #1d2330; --muted: #5f6b7a; --line: #e3e7ee; --bg: #f5f7fa; --card: #fff;
  --none: #8a94a3; --short: #1f8fd6; --mid: #d98a00; --long: #7b4fd6; --ok: #1e9e6a;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--bg); color: var(--ink);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
    "WenQuanYi Micro Hei", sans-serif;
}
header { background: #1d2330; color: #fff; padding: 20px 32px; }
header h1 { margin: 0 0 4px; font-size: 20px; font-weight: 600; }
header .meta { color: #b8c1cf; font-size: 13px; }
header .meta b { color: #fff; font-weight: 600; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h2 {
  font-size: 15px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  margin: 24px 0 10px; }
.summary { display: flex; gap: 12px; flex-wrap: wrap; }
.stat {
  background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 16px;
  min-width: 110px; }
.stat .n { font-size: 22px; font-weight: 600; }
.stat .l { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; }
th {
  text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; padding: 6px 10px;
  border-bottom: 1px solid var(--line); }
td { padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
tr:last-child td { border-bottom: 0; }
.panel { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 6px 6px; }
.timeline { position: relative; margin-left: 14px; padding-left: 28px; border-left: 2px solid var(--line); }
.turn { position: relative; background: var(--card); border: 1px solid var(--line); border-radius: 12px;
  padding: 14px 18px; margin: 0 0 16px; box-shadow: 0 1px 2px rgba(20, 30, 50, .05); }
.turn::before { content: ""; position: absolute; left: -37px; top: 18px; width: 14px; height: 14px;
  border-radius: 50%; background: var(--dot, var(--none)); border: 3px solid var(--bg); }
.turn.tier-short { --dot: var(--short); }
.turn.tier-mid { --dot: var(--mid); }
.turn.tier-long { --dot: var(--long); }
.turn:target { outline: 2px solid var(--mid); }
.head { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; }
.head .num { font-weight: 700; color: var(--muted); }
.head .when { color: var(--muted); font-size: 13px; }
.head .ms { margin-left: auto; color: var(--muted); font-size: 12px; }
.message { font-size: 17px; margin: 8px 0 10px; padding: 8px 12px; background: #f0f3f8; border-radius: 8px; }
.badge { display: inline-block; padding: 1px 9px; border-radius: 999px; font-size: 12px; font-weight: 600;
  color: #fff; background: var(--none); text-transform: uppercase; letter-spacing: .04em; }
.badge.short { background: var(--short); }
.badge.mid { background: var(--mid); }
.badge.long { background: var(--long); }
.badge.mode { background: #e8edf5; color: var(--ink); text-transform: none; }
.section { display: grid; grid-template-columns: 92px 1fr; gap: 4px 12px; margin: 8px 0; }
.section > .label {
  color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em;
  padding-top: 2px; }
.reason { color: var(--ink); }
.scores { display: flex; gap: 10px; flex-wrap: wrap; margin-top: 4px; }
.score { font-size: 12px; color: var(--muted); display: flex; align-items: center; gap: 4px; }
.bar {
  display: inline-block; height: 6px; width: 60px; background: var(--line); border-radius: 3px;
  overflow: hidden; }
.bar i { display: block; height: 100%; background: var(--muted); }
.bar i.short { background: var(--short); }
.bar i.mid { background: var(--mid); }
.bar i.long { background: var(--long); }
.chip { display: inline-block; background: #fff6e5; border: 1px solid #f3d79b; border-radius: 6px;
  padding: 0 8px; margin: 0 6px 4px 0; font-weight: 600; }
.tool { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12.5px; }
.id { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 12px; color: var(--muted); }
.retrieved td { font-size: 13px; }
.retrieved tr.cited td { background: #ecf8f2; }
.from { font-size: 12px; }
a { color: #1f6fd6; text-decoration: none; } a:hover { text-decoration: underline; }
.answer {
  padding: 8px 12px; border-left: 3px solid var(--ok); background: #f4fbf7;
  border-radius: 0 8px 8px 0; }
.small { color: var(--muted); font-size: 12px; }
.timing { color: var(--muted); font-size: 12px; margin-top: 8px; }
.empty { color: var(--muted); font-style: italic; }
"""
