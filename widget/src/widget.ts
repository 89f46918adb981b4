// Placeholder of the embeddable widget. The real chat / Q&A widget arrives with its own issue; this one already
// follows the embedding contract: one <script src="/widget.js" data-engage-key="KEY" async> tag, everything inside
// a Shadow DOM so the host page's CSS is untouched, and no globals besides `Engage`.
(function () {
  const script = document.currentScript as HTMLScriptElement | null;
  const apiKey = script?.dataset.engageKey ?? '';
  const host = document.createElement('div');
  host.setAttribute('data-engage-widget', '');
  const root = host.attachShadow({ mode: 'open' });
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', 'Open chat');
  button.textContent = '💬';
  const style = document.createElement('style');
  style.textContent =
    'button{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%;border:0;' +
    'background:#2563eb;color:#fff;font-size:24px;cursor:pointer;box-shadow:0 4px 12px rgba(0,0,0,.2)}';
  root.append(style, button);
  const mount = () => document.body.appendChild(host);
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
  (window as unknown as { Engage: (cmd: string) => unknown }).Engage = (cmd: string) =>
    cmd === 'key' ? apiKey : undefined;
})();
