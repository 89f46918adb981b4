// The panel's stylesheet, inside the widget's Shadow DOM: nothing here reaches the host page and the host page's
// CSS does not reach in (the loader resets inheritance with :host{all:initial}).
export const PANEL_CSS = `
.p{box-sizing:border-box;display:flex;flex-direction:column;background:#fff;color:#111827;overflow:hidden}
.p *{box-sizing:border-box}
.p.fl{position:fixed;z-index:2147483001;bottom:88px;right:20px;width:380px;height:min(640px,calc(100vh - 110px));
 border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.22);animation:in .18s ease-out}
.left .p.fl{right:auto;left:20px}
.inline .p{width:100%;height:460px;border:1px solid #e5e7eb;border-radius:12px}
.inline .p.qa{height:auto;min-height:220px}
@keyframes in{from{opacity:0;transform:translateY(8px)}to{opacity:1;transform:none}}
.hd{display:flex;align-items:center;gap:4px;padding:12px 12px 12px 16px;background:var(--ep);color:var(--ec)}
.hd h2{flex:1;margin:0;font-size:16px;font-weight:600;line-height:1.3;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
button{font:inherit;color:inherit;cursor:pointer}
button:disabled{cursor:default;opacity:.5}
:focus-visible{outline:2px solid var(--ep);outline-offset:2px}
.hd :focus-visible{outline-color:var(--ec)}
.ib{display:flex;align-items:center;justify-content:center;width:32px;height:32px;padding:0;border:0;border-radius:8px;background:transparent}
.ib:hover{background:rgba(127,127,127,.2)}
svg{width:18px;height:18px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:12px;overscroll-behavior:contain}
.qa .log{flex:none;padding:0 16px}
.qa .log:empty{display:none}
.msg{max-width:88%;display:flex;flex-direction:column;gap:6px}
.msg.user{align-self:flex-end}
.b{padding:9px 13px;border-radius:14px;background:#f3f4f6;overflow-wrap:anywhere}
.user .b{background:var(--ep);color:var(--ec);border-bottom-right-radius:4px;white-space:pre-wrap}
.bot .b{border-bottom-left-radius:4px}
.qa .msg.bot{max-width:100%}
.b p,.b ul,.b ol,.b pre,.b blockquote{margin:0 0 8px}
.b>:last-child{margin-bottom:0}
.b ul,.b ol{padding-left:20px}
.b a{color:inherit;text-decoration:underline}
.b code{font:12.5px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:rgba(0,0,0,.07);padding:1px 4px;border-radius:4px}
.b pre{overflow-x:auto;padding:8px;border-radius:8px;background:#111827;color:#f9fafb}
.b pre code{background:none;padding:0}
.b blockquote{padding-left:10px;border-left:3px solid #d1d5db;color:#4b5563}
.dots{display:inline-flex;gap:4px;padding:4px 0}
.dots i{width:7px;height:7px;border-radius:50%;background:#9ca3af;animation:blink 1.2s infinite both}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.3}40%{opacity:1}}
.src{font-size:12px;color:#4b5563}
.src ol{margin:2px 0 0;padding-left:18px}
.src a{color:var(--ep)}
.act{display:flex;align-items:center;gap:2px;font-size:12px;color:#6b7280}
.act .ib{width:28px;height:28px}
.act .ib[aria-pressed=true]{color:var(--ep);background:rgba(127,127,127,.15)}
.hm{align-self:flex-start;padding:7px 12px;border:1px solid var(--ep);border-radius:999px;background:#fff;color:var(--ep);text-decoration:none;font-size:13px}
.sg{display:flex;flex-wrap:wrap;gap:6px;padding:0 16px 10px}
.sg[hidden]{display:none}
.chip{padding:6px 11px;border:1px solid #d1d5db;border-radius:999px;background:#fff;font-size:13px;text-align:left}
.chip:hover{border-color:var(--ep);color:var(--ep)}
.st{padding:0 16px;font-size:13px;color:#4b5563}
.st:empty{display:none}
.st.err{margin:0 16px 10px;padding:9px 12px;border-radius:10px;background:#fef2f2;color:#991b1b}
.st .ln{margin-left:8px;padding:0;border:0;background:none;text-decoration:underline;font-weight:600}
.cp{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid #e5e7eb}
textarea,input{flex:1;min-width:0;margin:0;padding:9px 12px;border:1px solid #d1d5db;border-radius:10px;font:inherit;color:inherit;background:#fff}
textarea{resize:none;max-height:120px}
textarea:disabled,input:disabled{background:#f3f4f6}
.ib[hidden]{display:none}
textarea:focus,input:focus{outline:2px solid var(--ep);outline-offset:-1px;border-color:transparent}
.send{flex:none;width:38px;height:38px;border:0;border-radius:10px;background:var(--ep);color:var(--ec)}
.qs{display:flex;gap:8px;padding:14px 16px}
.ask{flex:none;padding:0 14px;border:0;border-radius:10px;background:var(--ep);color:var(--ec)}
.rs{flex:1;overflow-y:auto;list-style:none;margin:0;padding:4px 16px 12px}
.rs li{border-bottom:1px solid #f3f4f6}
.rs summary{padding:10px 0;font-weight:600;cursor:pointer}
.rs .b{margin-bottom:10px;background:#f9fafb}
.ft{padding:6px;text-align:center;font-size:11px;color:#9ca3af}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:480px){.p.fl{inset:0;width:100%;height:100%;border-radius:0}textarea,input{font-size:16px}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
`;
